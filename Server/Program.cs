using BlazorJobs.Server.Hosting;
using Microsoft.AspNetCore.Hosting.Server;

BlazorJobsHost.Running running;
try
{
    running = await BlazorJobsHost.StartAsync(args);
}
catch (EmbeddedPostgresException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

StartupBanner.Print(running.App.Services.GetRequiredService<IServer>(), running.DemoLogins, running.Embedded);
await running.App.WaitForShutdownAsync();
return 0;
