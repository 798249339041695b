using BlazorJobs.Server.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BlazorJobs.Server.Data.Configurations;

internal sealed class ChatSessionConfiguration : IEntityTypeConfiguration<ChatSession>
{
    public void Configure(EntityTypeBuilder<ChatSession> session)
    {
        session.Property(s => s.Kind).HasMaxLength(16);
        session.Property(s => s.OwnerKey).HasMaxLength(80);
        session.Property(s => s.Title).HasMaxLength(120);
        session.HasIndex(s => new { s.OwnerKey, s.UpdatedAt });
        session.HasIndex(s => s.UpdatedAt);
    }
}

internal sealed class ChatMessageConfiguration : IEntityTypeConfiguration<ChatMessage>
{
    public void Configure(EntityTypeBuilder<ChatMessage> message)
    {
        message.Property(m => m.Id).UseIdentityAlwaysColumn();
        message.Property(m => m.Role).HasMaxLength(16);
        message.Property(m => m.Sources).HasColumnType("jsonb");
        message.HasIndex(m => new { m.SessionId, m.Id });
        // "Written exactly once": one user and one assistant message per job at most.
        message.HasIndex(m => new { m.JobId, m.Role }).IsUnique();
        message.HasOne<ChatSession>().WithMany().HasForeignKey(m => m.SessionId).OnDelete(DeleteBehavior.Cascade);
    }
}
