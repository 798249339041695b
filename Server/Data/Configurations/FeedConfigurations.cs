using BlazorJobs.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorJobs.Server.Data.Configurations;

// Every feed source is read newest first by (date, id): each gets that index, so a page is an index scan.

internal sealed class AnnouncementConfiguration : IEntityTypeConfiguration<Announcement>
{
    public void Configure(EntityTypeBuilder<Announcement> e)
    {
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.HasIndex(x => new { x.PublishedAt, x.Id }).IsDescending(true, true);
    }
}

internal sealed class EnrolmentConfiguration : IEntityTypeConfiguration<Enrolment>
{
    public void Configure(EntityTypeBuilder<Enrolment> e)
    {
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.HasIndex(x => new { x.EnrolledAt, x.Id }).IsDescending(true, true);
        e.HasOne<Course>().WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LessonCompletionConfiguration : IEntityTypeConfiguration<LessonCompletion>
{
    public void Configure(EntityTypeBuilder<LessonCompletion> e)
    {
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.HasIndex(x => new { x.CompletedAt, x.Id }).IsDescending(true, true);
        e.HasOne<Lesson>().WithMany().HasForeignKey(x => x.LessonId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CertificateConfiguration : IEntityTypeConfiguration<Certificate>
{
    public void Configure(EntityTypeBuilder<Certificate> e)
    {
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.HasIndex(x => new { x.IssuedAt, x.Id }).IsDescending(true, true);
        e.HasOne<Course>().WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CourseReviewConfiguration : IEntityTypeConfiguration<CourseReview>
{
    public void Configure(EntityTypeBuilder<CourseReview> e)
    {
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.HasIndex(x => new { x.CreatedAt, x.Id }).IsDescending(true, true);
        e.HasOne<Course>().WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DiscussionPostConfiguration : IEntityTypeConfiguration<DiscussionPost>
{
    public void Configure(EntityTypeBuilder<DiscussionPost> e)
    {
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.HasIndex(x => new { x.CreatedAt, x.Id }).IsDescending(true, true);
        e.HasOne<Lesson>().WithMany().HasForeignKey(x => x.LessonId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LiveSessionConfiguration : IEntityTypeConfiguration<LiveSession>
{
    public void Configure(EntityTypeBuilder<LiveSession> e)
    {
        e.Property(x => x.Id).UseIdentityAlwaysColumn();
        e.HasIndex(x => new { x.AnnouncedAt, x.Id }).IsDescending(true, true);
        e.HasOne<Course>().WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
    }
}
