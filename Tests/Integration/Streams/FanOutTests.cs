using BlazorJobs.Tests.Infrastructure;

namespace BlazorJobs.Tests.Integration.Streams;

/// <summary>Several clients of one learner (two tabs, two devices) following the same job.</summary>
public sealed class FanOutTests(StreamingJobsFixture app) : IClassFixture<StreamingJobsFixture>
{
    [Fact]
    public async Task Two_clients_on_one_job_both_receive_every_event()
    {
        using var laptop = await app.CreateLearnerClientAsync();
        using var phone = await app.CreateLearnerClientAsync();
        var job = await ChatApi.AskAsync(laptop, ChatApi.Tutor, "What is a CSS selector?");
        await using var onLaptop = await LiveStream.OpenAsync(laptop, job.StreamUrl);
        await using var onPhone = await LiveStream.OpenAsync(phone, job.StreamUrl);

        var received = await Task.WhenAll(onLaptop.ReadToEndAsync(), onPhone.ReadToEndAsync());

        JobEvents.AssertWholeAnsweredJob(received[0]);
        Assert.Equal(received[0], received[1]);
    }

    [Fact]
    public async Task A_client_joining_mid_job_without_last_event_id_gets_every_event_from_the_first()
    {
        using var laptop = await app.CreateLearnerClientAsync();
        using var phone = await app.CreateLearnerClientAsync();
        var job = await ChatApi.AskAsync(laptop, ChatApi.Tutor, "What is a media query?");
        await using var onLaptop = await LiveStream.OpenAsync(laptop, job.StreamUrl);
        await onLaptop.ReadUntilAsync(e => e.Type == "delta");

        await using var onPhone = await LiveStream.OpenAsync(phone, job.StreamUrl);
        await Task.WhenAll(onLaptop.ReadToEndAsync(), onPhone.ReadToEndAsync());

        JobEvents.AssertWholeAnsweredJob(onPhone.Received);
        Assert.Equal(onLaptop.Received, onPhone.Received);
    }
}
