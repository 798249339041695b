using BlazorJobs.Server.Tutor;
using BlazorJobs.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BlazorJobs.Tests.Integration.Tutor;

/// <summary>A fresh seeded database for a tutor test class (read only), and tutors over it registered as the app registers them.</summary>
public sealed class TutorDatabase : IAsyncLifetime
{
    private ServiceProvider? _retrieval;

    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public CourseSearch Search => new(DataSource, Options.Create(new TutorOptions()));

    /// <summary>The default tutor, streaming without pauses.</summary>
    public ITutor RetrievalTutor => _retrieval!.GetRequiredService<ITutor>();

    public async Task InitializeAsync()
    {
        DataSource = NpgsqlDataSource.Create(await TestPostgres.CreateDatabaseAsync());
        _retrieval = TutorServices(new() { ["Tutor:Provider"] = "Retrieval", ["Tutor:Retrieval:StreamDelayMs"] = "0" });
    }

    /// <summary>The services <c>AddTutor</c> registers for <paramref name="settings"/>, over this database.</summary>
    public ServiceProvider TutorServices(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton(DataSource)
            .AddSingleton(TimeProvider.System)
            .AddTutor(configuration)
            .BuildServiceProvider();
    }

    public async Task<Guid> CourseIdAsync(string slug)
    {
        await using var command = DataSource.CreateCommand("SELECT id FROM courses WHERE slug = @slug");
        command.Parameters.AddWithValue("slug", slug);
        return (Guid)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No course {slug} was seeded."));
    }

    public async Task<Guid> LessonIdAsync(string slug)
    {
        await using var command = DataSource.CreateCommand("SELECT id FROM lessons WHERE slug = @slug");
        command.Parameters.AddWithValue("slug", slug);
        return (Guid)(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No lesson {slug} was seeded."));
    }

    public async Task DisposeAsync()
    {
        if (_retrieval is not null)
        {
            await _retrieval.DisposeAsync();
        }
        if (DataSource is not null)
        {
            await DataSource.DisposeAsync();
        }
    }
}
