using BlazorJobs.Server.Delivery;
using BlazorJobs.Server.Rollout;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FeatureManagement;
using Microsoft.FeatureManagement.FeatureFilters;

namespace BlazorJobs.Tests.Unit;

/// <summary>How Microsoft.FeatureManagement buckets users with the ranges laid out as rollout.md says.</summary>
public sealed class RolloutAllocationTests
{
    private static readonly string[] UserIds = Enumerable.Range(0, 10_000).Select(i => $"user-{i}").ToArray();

    [Fact]
    public async Task Growing_sse_moves_only_users_from_polling_and_only_about_the_added_share()
    {
        var before = await ModesAsync(new DeliveryAllocation(10, 10, 80));
        var after = await ModesAsync(new DeliveryAllocation(20, 10, 70));

        var moved = UserIds.Where(id => before[id] != after[id]).ToList();
        Assert.All(moved, id => Assert.Equal((DeliveryMode.Polling, DeliveryMode.Sse), (before[id], after[id])));
        Assert.All(UserIds.Where(id => before[id] is DeliveryMode.Sse or DeliveryMode.Hybrid), id => Assert.Equal(before[id], after[id]));
        Assert.InRange(moved.Count / (double)UserIds.Length, 0.08, 0.12);
    }

    [Fact]
    public async Task Growing_hybrid_does_not_move_sse_users()
    {
        var before = await ModesAsync(new DeliveryAllocation(30, 10, 60));
        var after = await ModesAsync(new DeliveryAllocation(30, 25, 45));

        Assert.All(UserIds.Where(id => before[id] == DeliveryMode.Sse), id => Assert.Equal(DeliveryMode.Sse, after[id]));
        Assert.All(UserIds.Where(id => before[id] != after[id]), id => Assert.Equal((DeliveryMode.Polling, DeliveryMode.Hybrid), (before[id], after[id])));
    }

    [Fact]
    public async Task The_same_user_gets_the_same_mode_every_time_and_shares_are_within_2_points_of_the_allocation()
    {
        var first = await ModesAsync(new DeliveryAllocation(80, 10, 10));
        var second = await ModesAsync(new DeliveryAllocation(80, 10, 10));

        Assert.Equal(first, second);
        Assert.InRange(first.Values.Count(m => m == DeliveryMode.Sse) / (double)UserIds.Length, 0.78, 0.82);
        Assert.InRange(first.Values.Count(m => m == DeliveryMode.Hybrid) / (double)UserIds.Length, 0.08, 0.12);
    }

    [Theory]
    [InlineData(100, 0, 0, DeliveryMode.Sse)]
    [InlineData(0, 100, 0, DeliveryMode.Hybrid)]
    [InlineData(0, 0, 100, DeliveryMode.Polling)]
    public async Task A_whole_allocation_gives_everyone_that_mode(int sse, int hybrid, int polling, string expected)
    {
        var modes = await ModesAsync(new DeliveryAllocation(sse, hybrid, polling));

        Assert.All(modes.Values, mode => Assert.Equal(expected, mode));
    }

    private static async Task<Dictionary<string, string>> ModesAsync(DeliveryAllocation allocation)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IFeatureDefinitionProvider>(new FixedDefinition(DatabaseFeatureDefinitionProvider.Build(allocation)));
        services.AddFeatureManagement();
        await using var provider = services.BuildServiceProvider();
        var features = provider.GetRequiredService<IVariantFeatureManager>();
        var modes = new Dictionary<string, string>();
        foreach (var id in UserIds)
        {
            var variant = await features.GetVariantAsync(RolloutState.FlagName, new TargetingContext { UserId = id }, CancellationToken.None);
            modes[id] = variant?.Name ?? "none";
        }
        return modes;
    }

    private sealed class FixedDefinition(FeatureDefinition definition) : IFeatureDefinitionProvider
    {
        public Task<FeatureDefinition> GetFeatureDefinitionAsync(string featureName) => Task.FromResult(definition);

        public async IAsyncEnumerable<FeatureDefinition> GetAllFeatureDefinitionsAsync()
        {
            await Task.CompletedTask;
            yield return definition;
        }
    }
}
