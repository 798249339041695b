using BlazorJobs.Server.Hosting;
using BlazorJobs.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorJobs.Tests.Integration.Operations;

/// <summary>
/// The first app answers every question with a permanent failure (Synthetic tutor, <c>FailEvery=1</c>, one attempt),
/// so a failed job is one question away; instances write their heartbeat rows twice a second.
/// </summary>
public sealed class FailingOperationsApp : AppFixture
{
    public static readonly KeyValuePair<string, string?>[] FastHeartbeats =
    [
        new("Operations:HeartbeatSeconds", "0.5"),
        new("Operations:SnapshotSeconds", "0.5"),
    ];

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        .. FastHeartbeats,
        new("Tutor:Provider", "Synthetic"),
        new("Tutor:Synthetic:FailEvery", "1"),
        new("Jobs:MaxAttempts", "1"),
    ];
}

/// <summary>A second instance (worker off) on the first one's database, as when the app is scaled out.</summary>
public sealed class TwoInstancesFixture : IAsyncLifetime
{
    private BlazorJobsHost.Running? _second;

    public FailingOperationsApp First { get; } = new();

    public Uri SecondAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await First.InitializeAsync();
        var settings = new Dictionary<string, string?>(FailingOperationsApp.FastHeartbeats)
        {
            ["ConnectionStrings:Default"] = First.ConnectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Worker:Enabled"] = "false",
        };
        _second = await BlazorJobsHost.StartAsync([], builder => builder.Configuration.AddInMemoryCollection(settings));
        SecondAddress = new Uri(_second.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        if (_second is not null)
        {
            await _second.App.StopAsync();
            await _second.App.DisposeAsync();
        }
        await First.DisposeAsync();
    }
}
