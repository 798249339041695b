using BlazorJobs.Server.Data.Seed;
using BlazorJobs.Server.Hosting;
using Npgsql;

namespace BlazorJobs.Tests.Unit;

public sealed class AppConnectionStringTests
{
    [Fact]
    public void The_apps_connections_auto_prepare_and_skip_the_reset()
    {
        var tuned = new NpgsqlConnectionStringBuilder(AppConnectionString.Tune("Host=db;Database=app;Username=u;Password=secret", DatabasePooler.None));

        Assert.Equal(64, tuned.MaxAutoPrepare);
        Assert.Equal(2, tuned.AutoPrepareMinUsages);
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal("secret", tuned.Password);
    }

    [Fact]
    public void Behind_pgbouncer_the_apps_connections_do_not_auto_prepare()
    {
        var tuned = new NpgsqlConnectionStringBuilder(AppConnectionString.Tune("Host=pooler;Database=app", DatabasePooler.PgBouncer));

        Assert.Equal(0, tuned.MaxAutoPrepare);
        Assert.True(tuned.NoResetOnClose);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", DatabasePooler.None, 0)]
    [InlineData("Host=db;MaxAutoPrepare=0", DatabasePooler.None, 0)]
    [InlineData("Host=db;max auto prepare=0", DatabasePooler.None, 0)]
    [InlineData("Host=pooler;Max Auto Prepare=20", DatabasePooler.PgBouncer, 20)]
    public void A_connection_string_that_sets_auto_prepare_itself_wins(string configured, DatabasePooler pooler, int expected)
    {
        var tuned = new NpgsqlConnectionStringBuilder(AppConnectionString.Tune(configured, pooler));

        Assert.Equal(expected, tuned.MaxAutoPrepare);
    }
}
