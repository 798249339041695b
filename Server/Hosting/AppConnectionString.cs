using System.Data.Common;
using BlazorJobs.Server.Data.Seed;
using Npgsql;

namespace BlazorJobs.Server.Hosting;

/// <summary>The settings the app's pooled connections run with, on top of the configured connection string.</summary>
public static class AppConnectionString
{
    private static readonly string[] AutoPrepareKeywords = ["Max Auto Prepare", "MaxAutoPrepare"];

    public static string Tune(string connectionString, DatabasePooler pooler)
    {
        var tuned = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // The app keeps no session state on pooled connections (the migration lock lives on the direct
            // connection), so the DISCARD ALL Npgsql would send on every reuse is pure overhead
            // (measured in docs/benchmarks.md: 2.4 of a stream's 4.4 statements).
            NoResetOnClose = true,
        };
        // The app runs a few dozen statements over and over (a poll, a claim, an event append): prepared
        // once per pooled connection, PostgreSQL skips their parse and plan — the poll endpoint under wrk
        // went from about 4,700 to 6,000 requests/s. PgBouncer in transaction mode hands each transaction
        // to any server connection, where a statement prepared on another is unknown (and 1.18, Debian 12's,
        // cannot track them at all): behind it the default is off. A connection string that sets
        // "Max Auto Prepare" itself wins (PgBouncer 1.21+ with max_prepared_statements can take them); the
        // plain builder tells which keys the configuration gave.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!AutoPrepareKeywords.Any(given.ContainsKey) && pooler == DatabasePooler.None)
        {
            tuned.MaxAutoPrepare = 64;
            tuned.AutoPrepareMinUsages = 2;
        }
        return tuned.ConnectionString;
    }
}
