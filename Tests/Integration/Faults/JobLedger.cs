using Npgsql;
using Xunit.Abstractions;

namespace BlazorJobs.Tests.Integration.Faults;

/// <summary>
/// The exact count every fault case ends with, read from the database: jobs enqueued, jobs answered
/// (COMPLETED), and answers duplicated (a second <c>completed</c> event or a second assistant message
/// for one job). Printed to the test output, with the time the system took to recover.
/// </summary>
internal sealed record JobLedger(long Enqueued, long Answered, long Duplicated)
{
    public static async Task<JobLedger> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM jobs),
                   (SELECT count(*) FROM jobs WHERE status = 'COMPLETED'),
                   (SELECT count(*) - count(DISTINCT job_id) FROM job_events WHERE type = 'completed')
                 + (SELECT count(*) - count(DISTINCT job_id) FROM chat_messages WHERE role = 'assistant')
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new JobLedger(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>Asserts enqueued = answered = <paramref name="expected"/> and nothing duplicated, and prints the figures.</summary>
    /// <param name="recovery">From the fault to the system serving again (what that means is said by <paramref name="recoveryMeaning"/>).</param>
    public void AssertAllAnsweredOnce(long expected, ITestOutputHelper output, string faultCase, TimeSpan recovery, string recoveryMeaning = "recovered in")
    {
        output.WriteLine($"{faultCase}: jobs enqueued {Enqueued}, answered {Answered}, duplicated {Duplicated}; {recoveryMeaning} {recovery.TotalSeconds:0.0} s");
        Assert.Equal((expected, expected, 0L), (Enqueued, Answered, Duplicated));
    }
}
