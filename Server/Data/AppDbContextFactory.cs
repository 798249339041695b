using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BlazorJobs.Server.Data;

/// <summary>For <c>dotnet ef migrations add</c>: building a migration needs the model, not a database.</summary>
internal sealed class AppDbContextFactory : IDesignTimeDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AppDbContext>()
            .UseNpgsql("Host=localhost;Database=blazorjobs_design")
            .UseSnakeCaseNamingConvention()
            .Options);
}
