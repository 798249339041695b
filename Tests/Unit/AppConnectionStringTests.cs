using BlazorJobs.Server.Hosting;
using Npgsql;

namespace BlazorJobs.Tests.Unit;

public sealed class AppConnectionStringTests
{
    [Fact]
    public void The_apps_connections_auto_prepare_skip_the_reset_and_keep_the_password()
    {
        var tuned = new NpgsqlConnectionStringBuilder(AppConnectionString.Tune("Host=db;Database=app;Username=u;Password=secret"));

        Assert.Equal(64, tuned.MaxAutoPrepare);
        Assert.Equal(2, tuned.AutoPrepareMinUsages);
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal("secret", tuned.Password);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0")]
    [InlineData("Host=db;MaxAutoPrepare=0")]
    [InlineData("Host=db;max auto prepare=0")]
    public void A_connection_string_that_sets_auto_prepare_itself_wins(string configured)
    {
        var tuned = new NpgsqlConnectionStringBuilder(AppConnectionString.Tune(configured));

        Assert.Equal(0, tuned.MaxAutoPrepare);
    }
}
