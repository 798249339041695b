using BlazorJobs.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorJobs.Server.Data.Configurations;

internal sealed class InstanceHeartbeatConfiguration : IEntityTypeConfiguration<InstanceHeartbeat>
{
    public void Configure(EntityTypeBuilder<InstanceHeartbeat> heartbeat)
    {
        heartbeat.Property(h => h.Id).HasMaxLength(128);
        heartbeat.Property(h => h.State).HasColumnType("jsonb");
    }
}

internal sealed class AdminAuditEntryConfiguration : IEntityTypeConfiguration<AdminAuditEntry>
{
    public void Configure(EntityTypeBuilder<AdminAuditEntry> entry)
    {
        entry.ToTable("admin_audit");
        entry.Property(e => e.Id).UseIdentityAlwaysColumn();
        entry.Property(e => e.Admin).HasMaxLength(256);
        entry.Property(e => e.Action).HasMaxLength(16);
        entry.Property(e => e.CreatedAt).HasDefaultValueSql("now()");
        entry.HasIndex(e => e.JobId);
    }
}
