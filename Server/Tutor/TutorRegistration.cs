using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace BlazorJobs.Server.Tutor;

public static class TutorRegistration
{
    /// <summary>Registers the tutor chosen by <c>Tutor:Provider</c> behind <see cref="ITutor"/>.</summary>
    public static IServiceCollection AddTutor(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TutorOptions>().Bind(configuration.GetSection(TutorOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CourseSearch>();
        services.AddSingleton<SuggestionSource>();
        services.AddSingleton<CatalogGuide>();

        var provider = configuration[$"{TutorOptions.Section}:Provider"] ?? "Retrieval";
        switch (provider.ToLowerInvariant())
        {
            case "openai":
                services.AddSingleton<IChatClient>(sp =>
                {
                    var openAi = sp.GetRequiredService<IOptions<TutorOptions>>().Value.OpenAI;
                    if (string.IsNullOrWhiteSpace(openAi.Endpoint))
                    {
                        throw new InvalidOperationException("Tutor:Provider is OpenAI but Tutor:OpenAI:Endpoint is not set.");
                    }
                    var client = new OpenAIClient(new ApiKeyCredential(openAi.ApiKey ?? "unused"), new OpenAIClientOptions { Endpoint = new Uri(openAi.Endpoint) });
                    return client.GetChatClient(openAi.Model).AsIChatClient();
                });
                services.AddScoped<ITutor, OpenAiTutor>();
                break;
            case "synthetic":
                services.AddSingleton<ITutor, SyntheticTutor>();
                break;
            default:
                services.AddSingleton<ITutor, RetrievalTutor>();
                break;
        }
        return services;
    }
}
