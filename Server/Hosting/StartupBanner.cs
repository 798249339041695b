using BlazorJobs.Server.Accounts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace BlazorJobs.Server.Hosting;

/// <summary>What a person starting the app needs to see: where it listens and how to sign in.</summary>
public static class StartupBanner
{
    public static void Print(IServer server, IReadOnlyList<DemoAccounts.Login> logins, EmbeddedPostgres? embedded)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var lines = new List<string> { "", "  BlazorJobs is running." };
        lines.AddRange(addresses.Select(a => $"  Open {a.Replace("0.0.0.0", "localhost").Replace("[::]", "localhost")}"));
        if (embedded is not null)
        {
            var shared = embedded.JoinedRunningCluster ? ", shared with the instance that started it" : "";
            lines.Add($"  Database: embedded PostgreSQL on 127.0.0.1:{embedded.Port} (data in {embedded.DataDirectory}{shared})");
        }
        foreach (var login in logins)
        {
            lines.Add($"  Demo login: {login.Email} / {login.Password}");
        }
        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
