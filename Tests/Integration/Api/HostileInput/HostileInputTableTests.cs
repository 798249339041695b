using System.Net;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace BlazorJobs.Tests.Integration.Api.HostileInput;

/// <summary>
/// api.md, Conventions: "Nothing a client sends can crash a request into 500". The whole table, in
/// each environment (Development is what <c>dotnet run</c> gives, and used to turn binding failures into 500).
/// </summary>
public abstract class HostileInputTableTests(HostileInputApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_endpoint_answers_every_hostile_input_with_the_contract_status_and_never_500()
    {
        var table = await HostileInputTable.BuildAsync(app);

        var failures = new List<string>();
        foreach (var row in table.Rows)
        {
            if (await CheckAsync(row) is { } failure)
            {
                failures.Add(failure);
            }
        }

        var endpoints = table.Rows.Select(row => row.Endpoint).Distinct().Count();
        var kinds = table.Rows.Select(row => row.Kind).Distinct().Count();
        output.WriteLine($"Hostile-input table: {table.Rows.Count} requests over {endpoints} endpoints and {kinds} kinds of input; {failures.Count} wrong.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {table.Rows.Count} rows answered otherwise than the contract:\n{string.Join('\n', failures)}");
        // A client's mistake is no server error: nothing of it is logged as one.
        Assert.Empty(app.Logs.Entries.Where(entry => entry.Level >= LogLevel.Error).Select(entry => $"{entry.Category}: {entry.Text}"));
    }

    private static async Task<string?> CheckAsync(HostileRequest row)
    {
        HttpResponseMessage response;
        try
        {
            // Headers only: a stream endpoint that wrongly accepted would otherwise never end.
            response = await row.Caller.SendAsync(row.ToMessage(), HttpCompletionOption.ResponseHeadersRead);
        }
        catch (HttpRequestException ex)
        {
            return $"{row}: no response ({ex.Message} {ex.InnerException?.Message})";
        }
        using var _ = response;
        if (response.StatusCode != row.Expected)
        {
            var body = (int)response.StatusCode >= 400 ? await response.Content.ReadAsStringAsync() : "";
            return $"{row}: expected {(int)row.Expected}, got {(int)response.StatusCode} {body}";
        }
        if ((int)row.Expected >= 400 && !row.RefusedByKestrel)
        {
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return $"{row}: {(int)response.StatusCode} is not problem+json ({response.Content.Headers.ContentType})";
            }
            var problem = Json.Parse<Problem>(await response.Content.ReadAsStringAsync());
            if (problem.Status != (int)row.Expected || string.IsNullOrWhiteSpace(problem.Detail))
            {
                return $"{row}: the problem's status or detail is missing";
            }
        }
        return null;
    }
}

/// <summary>The app the table runs against, with every log entry captured.</summary>
public class HostileInputApp : AppFixture
{
    public CapturedLogs Logs { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Logs);
}

public sealed class DevelopmentHostileInputApp : HostileInputApp
{
    protected override string? EnvironmentName => "Development";
}

public sealed class HostileInputTableInDevelopmentTests(DevelopmentHostileInputApp app, ITestOutputHelper output)
    : HostileInputTableTests(app, output), IClassFixture<DevelopmentHostileInputApp>;

public sealed class HostileInputTableInProductionTests(HostileInputApp app, ITestOutputHelper output)
    : HostileInputTableTests(app, output), IClassFixture<HostileInputApp>;
