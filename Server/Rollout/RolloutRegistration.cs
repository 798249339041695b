using System.ComponentModel.DataAnnotations;
using BlazorJobs.Server.Delivery;
using Microsoft.FeatureManagement;

namespace BlazorJobs.Server.Rollout;

public static class RolloutRegistration
{
    /// <summary>The delivery flag (Microsoft.FeatureManagement over PostgreSQL), its guard and its admin service.</summary>
    public static IServiceCollection AddDeliveryRollout(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RolloutOptions>().Bind(configuration.GetSection(RolloutOptions.Section)).ValidateDataAnnotations()
            // ValidateDataAnnotations does not look inside nested sections (dotnet/runtime#36093): validated here.
            .Validate(o => IsValid(o.Guard), "Rollout:Guard:* is out of range (see RolloutOptions.GuardOptions).")
            .Validate(o => IsValid(o.Reports), "Rollout:Reports:* is out of range (see RolloutOptions.ReportOptions).")
            .ValidateOnStart();
        services.AddSingleton<RolloutStore>();
        services.AddSingleton<RolloutStateCache>();
        services.AddHostedService(sp => sp.GetRequiredService<RolloutStateCache>());
        // Registered before AddFeatureManagement, which only adds its configuration-based provider when none is registered.
        services.AddSingleton<IFeatureDefinitionProvider, DatabaseFeatureDefinitionProvider>();
        services.AddFeatureManagement();
        services.AddSingleton<IDeliveryRollout, FeatureFlagDeliveryRollout>();
        services.AddSingleton<DeliveryStats>();
        services.AddSingleton<DeliveryGuard>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryGuard>());
        services.AddSingleton<DeliveryReportCleaner>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryReportCleaner>());
        services.AddSingleton<RolloutService>();
        services.AddScoped<BlazorJobs.App.Services.IRolloutAdmin, RolloutAdminAdapter>();
        return services;
    }

    private static bool IsValid(object section) =>
        Validator.TryValidateObject(section, new ValidationContext(section), validationResults: null, validateAllProperties: true);
}
