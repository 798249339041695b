using System.Text.Json;
using BlazorJobs.Server.Jobs;
using Microsoft.Extensions.Time.Testing;

namespace BlazorJobs.Tests.Unit;

/// <summary>
/// How a tutor's text becomes delta events: at most one per batching interval, counted from the job's start, and
/// what is still unflushed at the end is left to the <c>completed</c> event (api.md, "Job events").
/// </summary>
public sealed class JobProgressWriterTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<(string Type, string Data)> _appended = [];

    private JobProgressWriter NewWriter() => new((type, data, _) =>
    {
        _appended.Add((type, JsonSerializer.Serialize(data)));
        return Task.CompletedTask;
    }, _time);

    [Fact]
    public async Task Text_written_within_the_first_interval_is_not_sent_as_a_delta()
    {
        var writer = NewWriter();

        await writer.WriteDeltaAsync("The answer ", CancellationToken.None);
        _time.Advance(JobProgressWriter.BatchInterval / 2);
        await writer.WriteDeltaAsync("in full.", CancellationToken.None);

        Assert.Empty(_appended);
        Assert.Equal("The answer in full.", writer.Text);
    }

    [Fact]
    public async Task Text_after_the_interval_goes_out_as_one_delta_with_everything_pending()
    {
        var writer = NewWriter();
        await writer.WriteDeltaAsync("first ", CancellationToken.None);

        _time.Advance(JobProgressWriter.BatchInterval);
        await writer.WriteDeltaAsync("second ", CancellationToken.None);
        await writer.WriteDeltaAsync("third", CancellationToken.None);

        Assert.Equal([(JobEventType.Delta, """{"text":"first second "}""")], _appended);
        Assert.Equal("first second third", writer.Text);
    }

    [Fact]
    public async Task A_stage_report_sends_the_pending_text_before_it_so_the_order_is_kept()
    {
        var writer = NewWriter();
        await writer.WriteDeltaAsync("so far", CancellationToken.None);

        await writer.ReportStageAsync("drafting", "Writing the answer", CancellationToken.None);

        Assert.Equal(
            [(JobEventType.Delta, """{"text":"so far"}"""), (JobEventType.Progress, """{"stage":"drafting","message":"Writing the answer"}""")],
            _appended);
    }

    [Fact]
    public async Task Empty_text_changes_nothing()
    {
        var writer = NewWriter();
        _time.Advance(JobProgressWriter.BatchInterval * 2);

        await writer.WriteDeltaAsync("", CancellationToken.None);

        Assert.Empty(_appended);
        Assert.Equal("", writer.Text);
    }
}
