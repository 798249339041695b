using BlazorJobs.Server.Jobs;
using BlazorJobs.Server.Tutor;

namespace BlazorJobs.Tests.Integration.Queue;

/// <summary>A tutor whose behaviour each test scripts (answer, throw, block); counts how often it was asked.</summary>
public sealed class FakeTutor(Func<FakeTutor.Call, Task<TutorAnswer>> behaviour) : ITutor
{
    private int _calls;

    /// <summary>One question put to the tutor; <see cref="Number"/> counts calls from 1 across all jobs.</summary>
    public sealed record Call(TutorRequest Request, ITutorProgress Progress, int Number, CancellationToken CancellationToken);

    public int Calls => Volatile.Read(ref _calls);

    public Task<TutorAnswer> AnswerAsync(TutorRequest request, ITutorProgress progress, CancellationToken cancellationToken) =>
        behaviour(new Call(request, progress, Interlocked.Increment(ref _calls), cancellationToken));

    public static TutorAnswer Answer(string text) =>
        new(text, ["What should I ask next?"], [new Source("Flexbox layout — HTML & CSS Foundations", "/courses/html-css-foundations?lesson=flexbox-layout")]);

    public static FakeTutor Answering(string text = "Use justify-content: center.") => new(_ => Task.FromResult(Answer(text)));

    public static FakeTutor Throwing(Func<Exception> exception) => new(_ => Task.FromException<TutorAnswer>(exception()));
}
