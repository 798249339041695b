using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BlazorJobs.Server.Data.Migrations
{
    /// <inheritdoc />
    public partial class GuardEvidence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "requested_at",
                table: "jobs",
                type: "timestamp with time zone",
                nullable: true);

            // Reports filed before this migration may repeat (job, kind): keep the first of each, so the unique index can be built.
            migrationBuilder.Sql(
                """
                DELETE FROM delivery_reports r USING delivery_reports first
                WHERE r.job_id = first.job_id AND r.kind = first.kind AND r.id > first.id
                """);

            migrationBuilder.CreateIndex(
                name: "ix_delivery_reports_job_id_kind",
                table: "delivery_reports",
                columns: new[] { "job_id", "kind" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_delivery_reports_job_id_kind",
                table: "delivery_reports");

            migrationBuilder.DropColumn(
                name: "requested_at",
                table: "jobs");
        }
    }
}
