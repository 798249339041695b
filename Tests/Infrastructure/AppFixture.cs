using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using BlazorJobs.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BlazorJobs.Tests.Infrastructure;

/// <summary>
/// The real app on real Kestrel (127.0.0.1, a free port) over its own fresh database. A test class
/// gets one through <c>IClassFixture</c>; override <see cref="Settings"/> for a different configuration.
/// </summary>
public class AppFixture : IAsyncLifetime
{
    public const string LearnerPassword = "Learner-Pass-1";
    public const string AdminPassword = "Admin-Pass-1";

    private BlazorJobsHost.Running? _running;

    public string ConnectionString { get; private set; } = "";
    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => _running!.App.Services;

    /// <summary>Configuration for this fixture's app, on top of the test defaults.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    /// <summary>The host environment (<c>Development</c> is what <c>dotnet run</c> gives); the default is Production.</summary>
    protected virtual string? EnvironmentName => null;

    /// <summary>Lets a fixture replace services (e.g. a fake time) before the app is built.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Runs once this fixture's database exists and before the app starts (e.g. to put a pooler in front of it).</summary>
    protected virtual Task BeforeAppStartsAsync() => Task.CompletedTask;

    /// <summary>Runs once the app has stopped, to stop what <see cref="BeforeAppStartsAsync"/> started.</summary>
    protected virtual Task AfterAppStopsAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync();
        await BeforeAppStartsAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Default"] = ConnectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["DemoAccounts:Enabled"] = "true",
            ["DemoAccounts:LearnerPassword"] = LearnerPassword,
            ["DemoAccounts:AdminPassword"] = AdminPassword,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Tutor:Retrieval:StreamDelayMs"] = "0",
            ["Jobs:CleanupIntervalSeconds"] = "86400",
            // Every test client comes from 127.0.0.1: per-IP ceilings would make test classes throttle each other's sign-ups and streams.
            ["RateLimits:SignIn:PerIpPermitsPerMinute"] = "1000000",
            ["RateLimits:Register:PerIpPermitsPerMinute"] = "1000000",
            ["Streams:MaxOpenPerIp"] = "1000000",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        string[] args = EnvironmentName is { } environment ? ["--environment", environment] : [];
        _running = await BlazorJobsHost.StartAsync(args, builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            ConfigureServices(builder.Services);
        });
        var address = _running.App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        if (_running is not null)
        {
            await _running.App.StopAsync();
            await _running.App.DisposeAsync();
        }
        await AfterAppStopsAsync();
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>An HTTP client with its own cookie jar: one visitor (or one browser).</summary>
    /// <param name="cookies">A jar the test keeps, to read what the server set; a fresh one otherwise.</param>
    public HttpClient CreateClient(bool allowRedirects = false, CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true, AllowAutoRedirect = allowRedirects };
        return new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>A client carrying a bearer token of the demo learner (or <paramref name="email"/>).</summary>
    public async Task<HttpClient> CreateLearnerClientAsync(string email = "learner@example.com", string password = LearnerPassword)
    {
        var client = CreateClient();
        var token = await LoginAsync(client, email, password);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return client;
    }

    public sealed record TokenResponse(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);

    public static async Task<TokenResponse> LoginAsync(HttpClient client, string email, string password)
    {
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
    }

    /// <summary>Registers a fresh learner and returns a client with their bearer token.</summary>
    public async Task<HttpClient> CreateNewLearnerClientAsync()
    {
        var email = $"learner-{Guid.NewGuid():N}@example.com";
        const string password = "Another-Pass-1";
        using (var anonymous = CreateClient())
        {
            (await anonymous.PostAsJsonAsync("/api/auth/register", new { email, password })).EnsureSuccessStatusCode();
        }
        return await CreateLearnerClientAsync(email, password);
    }

    /// <summary>Runs SQL against this fixture's database (to arrange or inspect rows).</summary>
    public async Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return await command.ExecuteScalarAsync();
    }
}
