using System.ComponentModel.DataAnnotations;

namespace BlazorJobs.Server.Accounts;

/// <summary><c>Auth:*</c>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Lifetime of a bearer access token; a tutor stream sends <c>reauthenticate</c> when it ends.</summary>
    [Range(0.05, 1440)] public double AccessTokenMinutes { get; set; } = 60;

    /// <summary>
    /// How long a bearer token's security stamp is trusted before it is read again: after a sign-out the
    /// user's tokens stop working, and their open tutor streams end, within this time (at once on the
    /// instance that signed out).
    /// </summary>
    [Range(0.1, 60)] public double SecurityStampCheckSeconds { get; set; } = 30;
}

/// <summary><c>DemoAccounts:*</c>: the seeded learner and admin.</summary>
public sealed class DemoAccountsOptions
{
    public const string Section = "DemoAccounts";
    public const string LearnerEmail = "learner@example.com";
    public const string AdminEmail = "admin@example.com";

    /// <summary>Seed them even with an external database (they always are with the embedded one).</summary>
    public bool Enabled { get; set; }
    /// <summary>Unset: generated and kept in a file (<see cref="DemoPasswordFile"/>). At least 8 characters, as Identity requires of every password.</summary>
    [MinLength(8)] public string? LearnerPassword { get; set; }

    [MinLength(8)] public string? AdminPassword { get; set; }
}
