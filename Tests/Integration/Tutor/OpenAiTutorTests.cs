using System.Text.Json;
using BlazorJobs.Server.Jobs;
using BlazorJobs.Server.Tutor;
using Microsoft.Extensions.DependencyInjection;

namespace BlazorJobs.Tests.Integration.Tutor;

public sealed class OpenAiTutorTests(TutorDatabase database) : IClassFixture<TutorDatabase>
{
    private static readonly string[] Tokens = ["Put ", "`display: flex` ", "and `justify-content: center` ", "on the container."];

    [Fact]
    public async Task The_OpenAI_tutor_streams_the_models_tokens_as_deltas_and_sends_the_retrieved_passages()
    {
        await using var model = await FakeOpenAiServer.StartAsync(Tokens);
        const string question = "How do I centre items with flexbox?";
        var progress = new RecordingProgress();

        var answer = await AnswerWithConfiguredProviderAsync(model, question, progress);

        Assert.Equal(Tokens, progress.Deltas);
        Assert.Equal(string.Concat(Tokens), answer.Answer);
        Assert.Contains(answer.Sources, s => s.Url.EndsWith("?lesson=flexbox-layout", StringComparison.Ordinal));

        var request = JsonDocument.Parse(Assert.Single(model.Requests)).RootElement;
        Assert.Equal("fake-model", request.GetProperty("model").GetString());
        var prompt = string.Join("\n", request.GetProperty("messages").EnumerateArray().Select(ContentOf));
        var topPassage = (await database.Search.SearchAsync(question, null, null, limit: 1, CancellationToken.None))[0];
        Assert.Contains(topPassage.Text, prompt);
        Assert.Contains($"## {topPassage.LessonTitle}", prompt);
        Assert.Contains(question, prompt);
    }

    [Fact]
    public async Task The_OpenAI_tutor_refuses_like_the_retrieval_tutor_without_asking_the_model_when_nothing_relevant_is_found()
    {
        await using var model = await FakeOpenAiServer.StartAsync(Tokens);
        var progress = new RecordingProgress();

        var answer = await AnswerWithConfiguredProviderAsync(model, "What is the best pizza topping?", progress);

        Assert.Equal(AnswerComposer.NoMatchAnswer, answer.Answer);
        Assert.Equal(AnswerComposer.NoMatchAnswer, progress.Text);
        Assert.Empty(answer.Sources);
        Assert.NotEmpty(answer.NextSuggestions);
        Assert.Empty(model.Requests);
    }

    /// <summary>Resolves the tutor the way the app does for <c>Tutor:Provider=OpenAI</c>, pointed at the fake model.</summary>
    private async Task<TutorAnswer> AnswerWithConfiguredProviderAsync(FakeOpenAiServer model, string question, RecordingProgress progress)
    {
        await using var services = database.TutorServices(new()
        {
            ["Tutor:Provider"] = "OpenAI",
            ["Tutor:OpenAI:Endpoint"] = model.Endpoint.ToString(),
            ["Tutor:OpenAI:Model"] = "fake-model",
            ["Tutor:OpenAI:ApiKey"] = "test-key",
        });
        await using var scope = services.CreateAsyncScope();
        var tutor = scope.ServiceProvider.GetRequiredService<ITutor>();
        Assert.IsType<OpenAiTutor>(tutor);
        return await tutor.AnswerAsync(new TutorRequest(Guid.NewGuid(), ChatbotKind.Tutor, question, null, null, 1), progress, CancellationToken.None);
    }

    /// <summary>A message's text, whether sent as a plain string or as content parts.</summary>
    private static string ContentOf(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(part => part.GetProperty("text").GetString()));
    }
}
