using System.Net;
using BlazorJobs.Tests.Infrastructure;
using BlazorJobs.Tests.Integration.Api.Support;

namespace BlazorJobs.Tests.Integration.Api;

/// <summary>api.md, Conventions: how each way a request can be wrong is answered, for both chatbots.</summary>
public sealed class ErrorContractTests(AppFixture app) : IClassFixture<AppFixture>
{
    public static TheoryData<string, string, string> IdEndpoints()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var bot in new[] { ChatApi.Tutor, ChatApi.Landing })
        {
            data.Add(bot, "GET", "/job/{id}");
            data.Add(bot, "GET", "/stream/{id}");
            data.Add(bot, "POST", "/job/{id}/cancel");
            data.Add(bot, "POST", "/job/{id}/retry");
            data.Add(bot, "GET", "/sessions/{id}");
            data.Add(bot, "DELETE", "/sessions/{id}");
        }
        data.Add(ChatApi.Tutor, "GET", "/sessions/{id}/stream");
        return data;
    }

    [Theory]
    [MemberData(nameof(IdEndpoints))]
    public async Task A_path_id_that_is_not_a_uuid_is_400(string bot, string method, string path)
    {
        using var caller = await app.CallerAsync(bot);

        var response = await caller.SendAsync(new HttpRequestMessage(new HttpMethod(method), bot + path.Replace("{id}", "not-a-uuid")));

        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "invalid-id");
        Assert.Contains("UUID", problem.Detail);
    }

    [Theory]
    [MemberData(nameof(IdEndpoints))]
    public async Task An_id_that_does_not_exist_is_404(string bot, string method, string path)
    {
        using var caller = await app.CallerAsync(bot);

        var response = await caller.SendAsync(new HttpRequestMessage(new HttpMethod(method), bot + path.Replace("{id}", Guid.NewGuid().ToString())));

        await ProblemAssert.IsAsync(response, HttpStatusCode.NotFound, "not-found");
    }

    public static TheoryData<string, string> InvalidQuestions()
    {
        var data = new TheoryData<string, string>();
        foreach (var bot in new[] { ChatApi.Tutor, ChatApi.Landing })
        {
            data.Add(bot, "");
            data.Add(bot, " \t\n ");
            data.Add(bot, new string('a', 2001));
            data.Add(bot, "  " + new string('a', 2001) + "  ");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidQuestions))]
    public async Task A_question_empty_or_over_2000_characters_is_400_naming_the_limit(string bot, string question)
    {
        using var caller = await app.CallerAsync(bot);

        var response = await ChatRequests.QueryAsync(caller, bot, new { question });

        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("2,000", problem.Detail);
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task A_missing_question_is_400_naming_the_limit(string bot)
    {
        using var caller = await app.CallerAsync(bot);

        var response = await ChatRequests.QueryAsync(caller, bot, new { sessionId = (Guid?)null });

        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("2,000", problem.Detail);
    }

    [Theory]
    [InlineData(ChatApi.Tutor, "")]
    [InlineData(ChatApi.Landing, "")]
    [InlineData(ChatApi.Landing, "   ")]
    public async Task A_question_of_exactly_2000_characters_after_trimming_is_accepted(string bot, string padding)
    {
        using var caller = await app.CallerAsync(bot);
        var question = padding + "What is " + new string('x', 1992) + padding;

        var response = await ChatRequests.QueryAsync(caller, bot, new { question });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData(ChatApi.Tutor, false)]
    [InlineData(ChatApi.Tutor, true)]
    [InlineData(ChatApi.Landing, false)]
    [InlineData(ChatApi.Landing, true)]
    public async Task A_body_over_16_KiB_is_413(string bot, bool chunked)
    {
        using var caller = await app.CallerAsync(bot);
        // Valid JSON with a short question: only the size is wrong.
        var body = $$"""{"question":"Hi","padding":"{{new string(' ', 16 * 1024)}}"}""";

        var response = await ChatRequests.PostRawAsync(caller, $"{bot}/query", body, chunked: chunked);

        await ProblemAssert.IsAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData(ChatApi.Tutor, "text/plain")]
    [InlineData(ChatApi.Landing, "text/plain")]
    [InlineData(ChatApi.Landing, "application/x-www-form-urlencoded")]
    [InlineData(ChatApi.Landing, null)]
    public async Task A_body_that_is_not_json_by_content_type_is_415(string bot, string? contentType)
    {
        using var caller = await app.CallerAsync(bot);

        var response = await ChatRequests.PostRawAsync(caller, $"{bot}/query", """{"question":"What is flexbox?"}""", contentType);

        await ProblemAssert.IsAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    public static TheoryData<string, string> MalformedBodies()
    {
        var data = new TheoryData<string, string>();
        foreach (var bot in new[] { ChatApi.Tutor, ChatApi.Landing })
        {
            data.Add(bot, """{"question": "unterminated""");
            data.Add(bot, "not json at all");
            data.Add(bot, """{"question": 42}""");
            data.Add(bot, """{"question": "What is flexbox?", "sessionId": "not-a-uuid"}""");
            data.Add(bot, """{"question": "What is flexbox?", "sessionId": 7}""");
            data.Add(bot, "[]");
        }
        data.Add(ChatApi.Tutor, """{"question": "What is flexbox?", "courseId": "css"}""");
        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_json_or_a_wrong_json_type_is_400(string bot, string body)
    {
        using var caller = await app.CallerAsync(bot);

        var response = await ChatRequests.PostRawAsync(caller, $"{bot}/query", body);

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task A_question_containing_a_NUL_character_is_400_and_no_job_is_made(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var jobsBefore = await app.ScalarAsync("SELECT count(*) FROM jobs");

        // The escaped form passes JSON parsing; PostgreSQL would refuse it in a text column (500 before).
        var response = await ChatRequests.PostRawAsync(caller, $"{bot}/query", """{"question":"What is \u0000 flexbox?"}""");

        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "nul-character");
        Assert.Contains("U+0000", problem.Detail);
        Assert.Equal(jobsBefore, await app.ScalarAsync("SELECT count(*) FROM jobs"));
    }

    public static TheoryData<string, string> NulInOtherText() => new()
    {
        { "/api/delivery/reports", """{"jobId":"0190b7d2-0000-7000-8000-000000000000","mode":"sse","kind":"stream_error","detail":"reset\u0000"}""" },
        { "/api/auth/login", """{"email":"learner\u0000@example.com","password":"Learner-Pass-1"}""" },
        { "/api/auth/register", """{"email":"new\u0000@example.com","password":"Another-Pass-1"}""" },
    };

    [Theory]
    [MemberData(nameof(NulInOtherText))]
    public async Task A_report_detail_or_an_email_containing_a_NUL_character_is_400(string url, string body)
    {
        using var visitor = app.CreateClient();

        var response = await ChatRequests.PostRawAsync(visitor, url, body);

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "nul-character");
    }

    [Fact]
    public async Task A_query_value_of_the_wrong_type_is_400_naming_the_parameter()
    {
        using var visitor = app.CreateClient();
        using var admin = await app.CreateLearnerClientAsync("admin@example.com", AppFixture.AdminPassword);

        var feed = await visitor.GetAsync("/api/feed?limit=abc");
        var audit = await admin.GetAsync("/api/admin/rollout/audit?limit=abc");

        Assert.Contains("limit", (await ProblemAssert.IsAsync(feed, HttpStatusCode.BadRequest)).Detail);
        Assert.Contains("limit", (await ProblemAssert.IsAsync(audit, HttpStatusCode.BadRequest)).Detail);
    }

    [Theory]
    [InlineData("""{"email": "learner@example.com", """)]
    [InlineData("email=learner@example.com")]
    [InlineData("""{"email": 42, "password": true}""")]
    public async Task Malformed_json_on_login_is_400(string body)
    {
        using var visitor = app.CreateClient();

        var response = await ChatRequests.PostRawAsync(visitor, "/api/auth/login", body);

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "malformed-json");
    }

    [Fact]
    public async Task An_unknown_course_is_400_for_the_tutor()
    {
        using var learner = await app.LearnerAsync();

        var response = await ChatRequests.QueryAsync(learner, ChatApi.Tutor, new { question = "What is flexbox?", courseId = Guid.NewGuid() });

        var problem = await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("courseId", problem.Detail);
    }

    [Fact]
    public async Task An_unknown_lesson_or_a_lesson_of_another_course_is_400_for_the_tutor()
    {
        using var learner = await app.LearnerAsync();
        var course = await SeededCatalog.CourseAsync(app);
        var lessonOfAnotherCourse = await SeededCatalog.LessonOfAsync(app, await SeededCatalog.CourseAsync(app, skip: 1));

        var unknown = await ChatRequests.QueryAsync(learner, ChatApi.Tutor, new { question = "What is flexbox?", lessonId = Guid.NewGuid() });
        var mismatched = await ChatRequests.QueryAsync(learner, ChatApi.Tutor, new { question = "What is flexbox?", courseId = course, lessonId = lessonOfAnotherCourse });

        Assert.Contains("lessonId", (await ProblemAssert.IsAsync(unknown, HttpStatusCode.BadRequest)).Detail);
        Assert.Contains("lessonId", (await ProblemAssert.IsAsync(mismatched, HttpStatusCode.BadRequest)).Detail);
    }

    [Fact]
    public async Task A_known_course_and_its_lesson_are_accepted_for_the_tutor()
    {
        using var learner = await app.LearnerAsync();
        var course = await SeededCatalog.CourseAsync(app);
        var lesson = await SeededCatalog.LessonOfAsync(app, course);

        var response = await ChatRequests.QueryAsync(learner, ChatApi.Tutor, new { question = "What is flexbox?", courseId = course, lessonId = lesson });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData(ChatApi.Tutor)]
    [InlineData(ChatApi.Landing)]
    public async Task A_last_event_id_that_is_not_an_event_id_is_400(string bot)
    {
        using var caller = await app.CallerAsync(bot);
        var accepted = await ChatApi.AskAsync(caller, bot, "What is flexbox?");

        using var response = await SseTestClient.OpenAsync(caller, accepted.StreamUrl, lastEventId: "seven");

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "invalid-last-event-id");
    }

    [Fact]
    public async Task A_sessions_filter_that_is_not_a_uuid_is_400()
    {
        using var learner = await app.LearnerAsync();

        var response = await learner.GetAsync($"{ChatApi.Tutor}/sessions?courseId=css");

        await ProblemAssert.IsAsync(response, HttpStatusCode.BadRequest, "invalid-id");
    }

    [Theory]
    [InlineData("GET", "/api/no-such-endpoint", HttpStatusCode.NotFound)]
    [InlineData("POST", "/api/no-such-endpoint", HttpStatusCode.NotFound)]
    [InlineData("DELETE", "/api/landing-assistant/query", HttpStatusCode.MethodNotAllowed)]
    [InlineData("PUT", "/api/landing-assistant/job/0190b7d2-0000-7000-8000-000000000000", HttpStatusCode.MethodNotAllowed)]
    public async Task An_api_route_or_method_that_does_not_exist_is_a_problem_not_an_html_page(string method, string path, HttpStatusCode status)
    {
        using var visitor = app.CreateClient();

        var response = await visitor.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await ProblemAssert.IsAsync(response, status);
    }
}
