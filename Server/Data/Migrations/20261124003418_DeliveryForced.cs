using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BlazorJobs.Server.Data.Migrations
{
    /// <inheritdoc />
    public partial class DeliveryForced : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "delivery_forced",
                table: "jobs",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "delivery_forced",
                table: "jobs");
        }
    }
}
