using BlazorJobs.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorJobs.Server.Data.Configurations;

internal sealed class CourseConfiguration : IEntityTypeConfiguration<Course>
{
    public void Configure(EntityTypeBuilder<Course> course)
    {
        course.HasIndex(c => c.Slug).IsUnique();
        course.Property(c => c.Slug).HasMaxLength(100);
        course.HasIndex(c => new { c.PublishedAt, c.Id }).IsDescending(true, true);
        course.HasMany(c => c.Lessons).WithOne(l => l.Course).HasForeignKey(l => l.CourseId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LessonConfiguration : IEntityTypeConfiguration<Lesson>
{
    public void Configure(EntityTypeBuilder<Lesson> lesson)
    {
        lesson.HasIndex(l => new { l.CourseId, l.Slug }).IsUnique();
        lesson.Property(l => l.Slug).HasMaxLength(100);
        lesson.HasIndex(l => new { l.PublishedAt, l.Id }).IsDescending(true, true);
        lesson.HasMany(l => l.Chunks).WithOne(c => c.Lesson).HasForeignKey(c => c.LessonId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class LessonChunkConfiguration : IEntityTypeConfiguration<LessonChunk>
{
    public void Configure(EntityTypeBuilder<LessonChunk> chunk)
    {
        chunk.Property(c => c.Id).UseIdentityAlwaysColumn();
        // The text is stemmed with the 'english' configuration; ranking weighs every chunk alike and
        // the lesson title is added to the query side by the tutor, so a stored column suffices.
        chunk.HasGeneratedTsVectorColumn(c => c.SearchVector, "english", c => new { c.Text })
            .HasIndex(c => c.SearchVector)
            .HasMethod("GIN");
        chunk.HasIndex(c => new { c.LessonId, c.Position }).IsUnique();
    }
}

internal sealed class FeedActivityConfiguration : IEntityTypeConfiguration<FeedActivity>
{
    public void Configure(EntityTypeBuilder<FeedActivity> activity)
    {
        activity.Property(a => a.Id).UseIdentityAlwaysColumn();
        activity.Property(a => a.Type).HasMaxLength(40);
        // Keyset pagination walks (sort_date, id) descending.
        activity.HasIndex(a => new { a.SortDate, a.Id }).IsDescending(true, true);
    }
}

internal sealed class FeatureFlagStateConfiguration : IEntityTypeConfiguration<FeatureFlagState>
{
    public void Configure(EntityTypeBuilder<FeatureFlagState> flag)
    {
        flag.HasKey(f => f.Name);
        flag.Property(f => f.Definition).HasColumnType("jsonb");
    }
}

internal sealed class FeatureFlagAuditConfiguration : IEntityTypeConfiguration<FeatureFlagAudit>
{
    public void Configure(EntityTypeBuilder<FeatureFlagAudit> audit)
    {
        audit.Property(a => a.Id).UseIdentityAlwaysColumn();
        audit.Property(a => a.FromDefinition).HasColumnType("jsonb");
        audit.Property(a => a.ToDefinition).HasColumnType("jsonb");
        audit.HasIndex(a => a.CreatedAt);
    }
}
