using System.Diagnostics;
using System.Net;
using BlazorJobs.Server.Hosting;
using BlazorJobs.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorJobs.Tests.Integration.Rollout;

/// <summary>A second server instance on the first one's database, as when the app is scaled out.</summary>
public sealed class SecondInstance : IAsyncLifetime
{
    private readonly AppFixture _first = new();
    private BlazorJobsHost.Running? _second;

    public AppFixture First => _first;
    public Uri SecondAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _first.InitializeAsync();
        _second = await BlazorJobsHost.StartAsync([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = _first.ConnectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Worker:Enabled"] = "false",
        }));
        SecondAddress = new Uri(_second.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        if (_second is not null)
        {
            await _second.App.StopAsync();
            await _second.App.DisposeAsync();
        }
        await _first.DisposeAsync();
    }
}

public sealed class MultiInstanceTests(SecondInstance instances) : IClassFixture<SecondInstance>
{
    [Fact]
    public async Task A_change_made_on_one_instance_is_in_force_on_the_other_without_a_restart()
    {
        using var admin = await RolloutClient.AdminAsync(instances.First);
        using var onSecond = new HttpClient { BaseAddress = instances.SecondAddress };
        var before = await RolloutClient.DeliveryAsync(onSecond);

        await RolloutClient.PutAsync(admin, 0, 0, 100, killSwitch: true);
        var watch = Stopwatch.StartNew();
        var seen = before;
        while (!seen.KillSwitch && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            seen = await RolloutClient.DeliveryAsync(onSecond);
        }
        await RolloutClient.PutAsync(admin, 80, 10, 10, killSwitch: false);

        Assert.False(before.KillSwitch);
        Assert.True(seen.KillSwitch, "The second instance never saw the kill switch.");
        Assert.Equal("polling", seen.Mode);
    }

    [Fact]
    public async Task A_job_enqueued_on_one_instance_streams_from_the_other()
    {
        // One browser (one cookie jar) whose requests land on different instances, as behind a load balancer.
        var cookies = new CookieContainer();
        using var onFirst = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies }) { BaseAddress = instances.First.BaseAddress };
        using var onSecond = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies }) { BaseAddress = instances.SecondAddress };
        cookies.Add(instances.SecondAddress, new Cookie("bj_visitor", Guid.NewGuid().ToString("N")));
        cookies.Add(instances.First.BaseAddress, cookies.GetCookies(instances.SecondAddress)["bj_visitor"]!);

        var accepted = await ChatApi.AskAsync(onFirst, ChatApi.Landing, "What does VACUUM do?");
        var events = await SseTestClient.ReadJobStreamAsync(onSecond, accepted.StreamUrl);

        Assert.Equal("completed", events[^1].Type);
        Assert.Contains("VACUUM", Json.Parse<JobResult>(events[^1].Data).Answer, StringComparison.OrdinalIgnoreCase);
    }
}
