using BlazorJobs.Server.Data.Entities;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace BlazorJobs.Server.Data;

/// <summary>The one database: queue, chat, catalogue, feed, flags, Identity and data-protection keys.</summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options)
    : IdentityDbContext<AppUser, IdentityRole<Guid>, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<Job> Jobs => Set<Job>();
    public DbSet<JobEvent> JobEvents => Set<JobEvent>();
    public DbSet<IdempotencyKey> IdempotencyKeys => Set<IdempotencyKey>();
    public DbSet<DeliveryReport> DeliveryReports => Set<DeliveryReport>();
    public DbSet<ChatSession> ChatSessions => Set<ChatSession>();
    public DbSet<ChatMessage> ChatMessages => Set<ChatMessage>();
    public DbSet<Course> Courses => Set<Course>();
    public DbSet<Lesson> Lessons => Set<Lesson>();
    public DbSet<LessonChunk> LessonChunks => Set<LessonChunk>();
    public DbSet<FeedActivity> FeedActivities => Set<FeedActivity>();
    public DbSet<Announcement> Announcements => Set<Announcement>();
    public DbSet<Enrolment> Enrolments => Set<Enrolment>();
    public DbSet<LessonCompletion> LessonCompletions => Set<LessonCompletion>();
    public DbSet<Certificate> Certificates => Set<Certificate>();
    public DbSet<CourseReview> CourseReviews => Set<CourseReview>();
    public DbSet<DiscussionPost> DiscussionPosts => Set<DiscussionPost>();
    public DbSet<LiveSession> LiveSessions => Set<LiveSession>();
    public DbSet<FeatureFlagState> FeatureFlags => Set<FeatureFlagState>();
    public DbSet<FeatureFlagAudit> FeatureFlagAudit => Set<FeatureFlagAudit>();
    public DbSet<InstanceHeartbeat> InstanceHeartbeats => Set<InstanceHeartbeat>();
    public DbSet<AdminAuditEntry> AdminAudit => Set<AdminAuditEntry>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("pg_stat_statements");
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }
}
