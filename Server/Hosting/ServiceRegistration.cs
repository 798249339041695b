using BlazorJobs.Server.Accounts;
using BlazorJobs.Server.Catalog;
using BlazorJobs.Server.Chat;
using BlazorJobs.Server.Data;
using BlazorJobs.Server.Data.Seed;
using BlazorJobs.Server.Delivery;
using BlazorJobs.Server.Events;
using BlazorJobs.Server.Feed;
using BlazorJobs.Server.Jobs;
using BlazorJobs.Server.Operations;
using BlazorJobs.Server.Rollout;
using BlazorJobs.Server.Streaming;
using BlazorJobs.Server.Tutor;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Npgsql;

namespace BlazorJobs.Server.Hosting;

public static class ServiceRegistration
{
    /// <summary>
    /// Everything the server needs. Starts the embedded PostgreSQL first when no connection string is
    /// set, because every other part is configured with the database's connection string.
    /// </summary>
    public static async Task<EmbeddedPostgres?> AddBlazorJobsAsync(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        var embedded = await StartEmbeddedDatabaseIfNeededAsync(builder);
        var connections = DatabaseConnections.From(configuration, embedded?.ConnectionString);
        services.AddSingleton(connections);
        var dataSource = new NpgsqlDataSourceBuilder(connections.Pooled) { Name = "blazorjobs" }.Build();
        services.AddSingleton(dataSource);
        services.AddDbContext<AppDbContext>(options => options.UseNpgsql(dataSource).UseSnakeCaseNamingConvention());
        services.AddDataProtection().PersistKeysToDbContext<AppDbContext>().SetApplicationName("BlazorJobs");

        AddOptions(services, configuration);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<InstanceIdentity>();
        services.AddSiteFileCompression();

        // The queue and its worker
        services.AddSingleton<JobQueue>();
        services.AddSingleton<JobReader>();
        services.AddSingleton<JobDeliveryTimes>();
        services.AddSingleton<JobClaimer>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<JobMetrics>();
        services.AddSingleton<QueueStatsSampler>();
        services.AddSingleton<WorkerSignal>();
        services.AddSingleton<JobWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<JobWorker>());
        services.AddHostedService<JobCleaner>();
        services.AddHostedService<ChatSessionCleaner>();

        // Streams
        services.AddSingleton<EventHub>();
        services.AddHostedService(sp => sp.GetRequiredService<EventHub>());
        services.AddHostedService<WorkerWakeUps>();
        services.AddSingleton<StreamMetrics>();
        services.AddSingleton<JobEventReader>();
        services.AddSingleton<EventStreamLoop>();
        services.AddSingleton<SseJobStream>();
        services.AddSingleton<SseSessionStream>();
        services.AddSingleton<SseCallerStream>();
        services.AddSingleton<StoreReadRetry>();

        // Delivery, chat, catalogue, tutor, accounts
        services.AddSingleton<DeliveryKillSwitch>();
        services.AddSingleton<DeliveryModeSelector>();
        services.AddSingleton<DeliveryTracker>();
        services.AddSingleton<DeliveryReportStore>();
        services.AddHostedService(sp => sp.GetRequiredService<DeliveryTracker>());
        services.AddDeliveryRollout(configuration);
        services.AddLiveFeed(configuration);
        services.AddSingleton<ChatHistory>();
        services.AddSingleton<SessionJobs>();
        services.AddSingleton<CourseScopeValidator>();
        services.AddScoped<CatalogSeeder>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddTutor(configuration);
        services.AddAccounts(configuration);
        services.AddBlazorJobsRateLimiting(configuration);
        services.AddOperations(configuration);

        // HTTP: problems, health, metrics
        services.AddProblemDetails();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Binding failures throw in every environment (not only Development), so one handler words them all as the contract says.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddHealthChecks().AddCheck<ReadinessCheck>("ready", tags: ["ready"]);
        services.AddBlazorJobsMetrics(configuration);
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.DefaultIgnoreCondition = JsonDefaults.Options.DefaultIgnoreCondition;
            options.SerializerOptions.Converters.Add(new NulFreeStringConverter());
        });

        // UI
        services.AddRazorComponents()
            .AddInteractiveServerComponents()
            .AddInteractiveWebAssemblyComponents();
        services.AddCascadingAuthenticationState();
        services.AddMudServices();
        services.AddBlazorJobsUi();

        if (embedded is not null)
        {
            services.AddSingleton(embedded);
            services.AddHostedService<EmbeddedPostgresSupervisor>();
            services.AddHostedService<EmbeddedPostgresShutdown>();
        }
        return embedded;
    }

    private static void AddOptions(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JobOptions>().Bind(configuration.GetSection(JobOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WorkerOptions>().Bind(configuration.GetSection(WorkerOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StreamOptions>().Bind(configuration.GetSection(StreamOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ChatOptions>().Bind(configuration.GetSection(ChatOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.Section))
            .Validate(o => o.DefaultMode is null || o.DefaultMode.Length == 0 || DeliveryMode.Normalize(o.DefaultMode) is not null,
                "Delivery:DefaultMode must be sse, hybrid or polling (or unset).")
            .ValidateOnStart();
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EmbeddedPostgresOptions>().Bind(configuration.GetSection(EmbeddedPostgresOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
    }

    private static async Task<EmbeddedPostgres?> StartEmbeddedDatabaseIfNeededAsync(WebApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(DatabaseConnections.DefaultName)))
        {
            return null;
        }
        var options = builder.Configuration.GetSection(EmbeddedPostgresOptions.Section).Get<EmbeddedPostgresOptions>() ?? new EmbeddedPostgresOptions();
        // Read before the container exists (the cluster starts first), so ValidateOnStart would come too late.
        if (new DataAnnotationValidateOptions<EmbeddedPostgresOptions>(null).Validate(null, options) is { Failed: true } invalid)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(EmbeddedPostgresOptions), invalid.Failures);
        }
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole());
        return await EmbeddedPostgres.StartAsync(options, loggerFactory.CreateLogger<EmbeddedPostgres>());
    }
}
