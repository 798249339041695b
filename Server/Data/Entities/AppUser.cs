using Microsoft.AspNetCore.Identity;

namespace BlazorJobs.Server.Data.Entities;

/// <summary>A learner or admin account (ASP.NET Core Identity).</summary>
public sealed class AppUser : IdentityUser<Guid>;
