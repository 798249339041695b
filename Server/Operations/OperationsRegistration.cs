using BlazorJobs.App.Services;
using BlazorJobs.Server.Jobs;

namespace BlazorJobs.Server.Operations;

public static class OperationsRegistration
{
    /// <summary>The operations dashboard: every instance's heartbeat row, the shared snapshot, admin actions on jobs.</summary>
    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OperationsOptions>().Bind(configuration.GetSection(OperationsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<InstanceCounters>();
        services.AddSingleton<ListenerLagProbe>();
        services.AddSingleton<InstanceHeartbeatWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<InstanceHeartbeatWriter>());
        services.AddSingleton<JobsSnapshotQuery>();
        services.AddSingleton<JobsSnapshotFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<JobsSnapshotFeed>());
        services.AddSingleton<AdminJobChanges>();
        services.AddSingleton<AdminJobActions>();
        services.AddScoped<IJobsAdmin, JobsAdminAdapter>();
        return services;
    }
}
