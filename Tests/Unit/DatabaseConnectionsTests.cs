using BlazorJobs.Server.Data.Seed;
using BlazorJobs.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace BlazorJobs.Tests.Unit;

public sealed class DatabaseConnectionsTests
{
    private const string Pooler = "Host=pgbouncer;Port=6432;Database=app;Username=u;Password=secret";
    private const string Postgres = "Host=postgres;Port=5432;Database=app;Username=u;Password=secret";

    [Fact]
    public void Without_a_listen_string_both_roles_use_the_main_one()
    {
        var connections = DatabaseConnections.From(Configuration(("ConnectionStrings:Default", Postgres)), embedded: null);

        Assert.Equal("postgres", new NpgsqlConnectionStringBuilder(connections.Pooled).Host);
        Assert.Equal(Postgres, connections.Direct);
        Assert.Equal(DatabasePooler.None, connections.Pooler);
    }

    [Fact]
    public void Behind_pgbouncer_queries_go_through_the_pooler_and_listen_goes_straight_to_postgres()
    {
        var connections = DatabaseConnections.From(Configuration(
            ("ConnectionStrings:Default", Pooler),
            ("ConnectionStrings:Listen", Postgres),
            ("Database:Pooler", "PgBouncer")), embedded: null);

        var pooled = new NpgsqlConnectionStringBuilder(connections.Pooled);
        Assert.Equal(("pgbouncer", 6432), (pooled.Host, pooled.Port));
        Assert.Equal(0, pooled.MaxAutoPrepare);
        Assert.Equal(Postgres, connections.Direct);
        Assert.Equal(DatabasePooler.PgBouncer, connections.Pooler);
    }

    [Fact]
    public void Pgbouncer_without_a_listen_string_refuses_to_start_and_says_which_key_to_set()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DatabaseConnections.From(Configuration(
            ("ConnectionStrings:Default", Pooler),
            ("Database:Pooler", "PgBouncer")), embedded: null));

        Assert.Contains("ConnectionStrings:Listen", error.Message);
    }

    [Fact]
    public void The_embedded_database_serves_both_roles_whatever_else_is_configured()
    {
        const string embedded = "Host=/tmp/socket;Port=5433;Database=blazorjobs;Username=blazorjobs";

        var connections = DatabaseConnections.From(Configuration(("Database:Pooler", "PgBouncer")), embedded);

        Assert.Equal(embedded, connections.Direct);
        Assert.Equal(64, new NpgsqlConnectionStringBuilder(connections.Pooled).MaxAutoPrepare);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
}
