namespace BlazorJobs.Server.Accounts;

public static class AuthPolicies
{
    /// <summary>The tutor API: a bearer token and nothing else (a cookie alone is 401).</summary>
    public const string BearerOnly = "bearer-only";

    /// <summary>Admin pages and APIs.</summary>
    public const string Admin = "admin";

    public const string AdminRole = "Admin";
    public const string LearnerRole = "Learner";
}
