namespace BlazorJobs.Server.Data.Entities;

/// <summary>The stored definition of a feature flag (the database is its source of truth after the first start).</summary>
public sealed class FeatureFlagState
{
    public required string Name { get; set; }
    public required string Definition { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>Who changed a flag, from what, to what, and why.</summary>
public sealed class FeatureFlagAudit
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string ChangedBy { get; set; }
    public string? FromDefinition { get; set; }
    public required string ToDefinition { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
