using BlazorJobs.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorJobs.Server.Data.Configurations;

internal sealed class JobConfiguration : IEntityTypeConfiguration<Job>
{
    public void Configure(EntityTypeBuilder<Job> job)
    {
        job.Property(j => j.Kind).HasMaxLength(16);
        job.Property(j => j.OwnerKey).HasMaxLength(80);
        job.Property(j => j.Status).HasMaxLength(16);
        job.Property(j => j.DeliveryMode).HasMaxLength(16);
        job.Property(j => j.ClaimedBy).HasMaxLength(128);
        job.Property(j => j.Result).HasColumnType("jsonb");
        job.Property(j => j.CreatedAt).HasDefaultValueSql("now()");
        // The claim query's index: only unfinished jobs, so it stays small however many finished
        // jobs are kept; expired leases of PROCESSING jobs are found through it too.
        job.HasIndex(j => j.RunAfter).HasFilter("status IN ('PENDING', 'PROCESSING')").HasDatabaseName("ix_jobs_claimable");
        job.HasIndex(j => j.OwnerKey);
        job.HasIndex(j => j.SessionId);
        // The cleaner deletes finished jobs by age.
        job.HasIndex(j => j.CompletedAt).HasFilter("completed_at IS NOT NULL");
    }
}

internal sealed class JobEventConfiguration : IEntityTypeConfiguration<JobEvent>
{
    public void Configure(EntityTypeBuilder<JobEvent> jobEvent)
    {
        jobEvent.Property(e => e.Id).UseIdentityAlwaysColumn();
        jobEvent.Property(e => e.Type).HasMaxLength(32);
        jobEvent.Property(e => e.Data).HasColumnType("text");
        jobEvent.Property(e => e.CreatedAt).HasDefaultValueSql("now()");
        jobEvent.HasIndex(e => new { e.JobId, e.Seq }).IsUnique();
        jobEvent.HasOne<Job>().WithMany().HasForeignKey(e => e.JobId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class IdempotencyKeyConfiguration : IEntityTypeConfiguration<IdempotencyKey>
{
    public void Configure(EntityTypeBuilder<IdempotencyKey> key)
    {
        key.HasKey(k => new { k.OwnerKey, k.Key });
        key.Property(k => k.Key).HasMaxLength(128);
        key.HasIndex(k => k.CreatedAt);
    }
}

internal sealed class DeliveryReportConfiguration : IEntityTypeConfiguration<DeliveryReport>
{
    public void Configure(EntityTypeBuilder<DeliveryReport> report)
    {
        report.Property(r => r.Id).UseIdentityAlwaysColumn();
        report.Property(r => r.Detail).HasMaxLength(500);
        // The retention cleaner deletes by age.
        report.HasIndex(r => r.CreatedAt);
        // One report per job and kind, however often a client files it: the table grows no faster than
        // the (rate-limited) jobs, and the guard finds a job's reports through this index.
        report.HasIndex(r => new { r.JobId, r.Kind }).IsUnique();
    }
}
