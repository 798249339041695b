using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BlazorJobs.Server.Feed;

public static class FeedRegistration
{
    public static IServiceCollection AddLiveFeed(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FeedOptions>().Bind(configuration.GetSection(FeedOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHybridCache();
        // TryAdd: a test may register its own sources first.
        services.TryAddSingleton<IFeedSourceCatalog, FeedSourceCatalog>();
        services.AddSingleton<FeedQueries>();
        services.AddSingleton<FeedActivityGenerator>();
        services.AddSingleton<FeedMetrics>();
        services.AddSingleton<FeedCache>();
        services.AddSingleton<FeedCursor>();
        services.AddSingleton<FeedAssembler>();
        services.AddSingleton<FeedLiveHub>();
        services.AddHostedService(sp => sp.GetRequiredService<FeedLiveHub>());
        return services;
    }
}
