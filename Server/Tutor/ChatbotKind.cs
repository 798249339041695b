namespace BlazorJobs.Server.Tutor;

/// <summary>Which chatbot a job or session belongs to; a caller of one never sees the other's.</summary>
public static class ChatbotKind
{
    public const string Tutor = "tutor";
    public const string Landing = "landing";
}
