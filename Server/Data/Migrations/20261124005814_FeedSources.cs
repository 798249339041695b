using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BlazorJobs.Server.Data.Migrations
{
    /// <inheritdoc />
    public partial class FeedSources : Migration
    {
        /// <summary>The activity tables whose inserts the live feed hears about, and their item type.</summary>
        private static readonly (string Table, string Type)[] FeedTriggerTables =
        [
            ("announcements", "announcement"), ("courses", "course"), ("lessons", "lesson"), ("live_sessions", "live"),
            ("feed_activities", "milestone"), ("course_reviews", "review"), ("certificates", "certificate"),
            ("discussion_posts", "discussion"), ("enrolments", "enrolment"), ("lesson_completions", "completion"),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "published_at",
                table: "lessons",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "published_at",
                table: "courses",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.CreateTable(
                name: "announcements",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    title = table.Column<string>(type: "text", nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    published_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_announcements", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "certificates",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    learner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    issued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_certificates", x => x.id);
                    table.ForeignKey(
                        name: "fk_certificates_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "course_reviews",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    rating = table.Column<int>(type: "integer", nullable: false),
                    comment = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_course_reviews", x => x.id);
                    table.ForeignKey(
                        name: "fk_course_reviews_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "discussion_posts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    lesson_id = table.Column<Guid>(type: "uuid", nullable: false),
                    subject = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_discussion_posts", x => x.id);
                    table.ForeignKey(
                        name: "fk_discussion_posts_lessons_lesson_id",
                        column: x => x.lesson_id,
                        principalTable: "lessons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "enrolments",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    learner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    enrolled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_enrolments", x => x.id);
                    table.ForeignKey(
                        name: "fk_enrolments_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "lesson_completions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    learner_id = table.Column<Guid>(type: "uuid", nullable: false),
                    lesson_id = table.Column<Guid>(type: "uuid", nullable: false),
                    completed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lesson_completions", x => x.id);
                    table.ForeignKey(
                        name: "fk_lesson_completions_lessons_lesson_id",
                        column: x => x.lesson_id,
                        principalTable: "lessons",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "live_sessions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    course_id = table.Column<Guid>(type: "uuid", nullable: false),
                    title = table.Column<string>(type: "text", nullable: false),
                    starts_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    announced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_live_sessions", x => x.id);
                    table.ForeignKey(
                        name: "fk_live_sessions_courses_course_id",
                        column: x => x.course_id,
                        principalTable: "courses",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_lessons_published_at_id",
                table: "lessons",
                columns: new[] { "published_at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_courses_published_at_id",
                table: "courses",
                columns: new[] { "published_at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_announcements_published_at_id",
                table: "announcements",
                columns: new[] { "published_at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_certificates_course_id",
                table: "certificates",
                column: "course_id");

            migrationBuilder.CreateIndex(
                name: "ix_certificates_issued_at_id",
                table: "certificates",
                columns: new[] { "issued_at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_course_reviews_course_id",
                table: "course_reviews",
                column: "course_id");

            migrationBuilder.CreateIndex(
                name: "ix_course_reviews_created_at_id",
                table: "course_reviews",
                columns: new[] { "created_at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_discussion_posts_created_at_id",
                table: "discussion_posts",
                columns: new[] { "created_at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_discussion_posts_lesson_id",
                table: "discussion_posts",
                column: "lesson_id");

            migrationBuilder.CreateIndex(
                name: "ix_enrolments_course_id",
                table: "enrolments",
                column: "course_id");

            migrationBuilder.CreateIndex(
                name: "ix_enrolments_enrolled_at_id",
                table: "enrolments",
                columns: new[] { "enrolled_at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_lesson_completions_completed_at_id",
                table: "lesson_completions",
                columns: new[] { "completed_at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_lesson_completions_lesson_id",
                table: "lesson_completions",
                column: "lesson_id");

            migrationBuilder.CreateIndex(
                name: "ix_live_sessions_announced_at_id",
                table: "live_sessions",
                columns: new[] { "announced_at", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_live_sessions_course_id",
                table: "live_sessions",
                column: "course_id");
        
            // Live feed: every insert statement into an activity table notifies feed_changed once, with
            // the new rows' keys (at most 200), so each server looks the items up once and pushes them to
            // its open feed streams. A statement trigger with a transition table keeps a bulk insert to
            // one notification instead of one per row.
            migrationBuilder.Sql("""
                CREATE FUNCTION feed_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('feed_changed', json_build_object(
                        't', TG_ARGV[0],
                        'k', (SELECT json_agg(id) FROM (SELECT id FROM new_rows ORDER BY id DESC LIMIT 200) newest))::text)
                    WHERE EXISTS (SELECT 1 FROM new_rows);
                    RETURN NULL;
                END $$;
                """);
            foreach (var (table, type) in FeedTriggerTables)
            {
                migrationBuilder.Sql($"CREATE TRIGGER {table}_feed_notify AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION feed_notify('{type}');");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, _) in FeedTriggerTables)
            {
                migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {table}_feed_notify ON {table};");
            }
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS feed_notify();");
            migrationBuilder.DropTable(
                name: "announcements");

            migrationBuilder.DropTable(
                name: "certificates");

            migrationBuilder.DropTable(
                name: "course_reviews");

            migrationBuilder.DropTable(
                name: "discussion_posts");

            migrationBuilder.DropTable(
                name: "enrolments");

            migrationBuilder.DropTable(
                name: "lesson_completions");

            migrationBuilder.DropTable(
                name: "live_sessions");

            migrationBuilder.DropIndex(
                name: "ix_lessons_published_at_id",
                table: "lessons");

            migrationBuilder.DropIndex(
                name: "ix_courses_published_at_id",
                table: "courses");

            migrationBuilder.DropColumn(
                name: "published_at",
                table: "lessons");

            migrationBuilder.DropColumn(
                name: "published_at",
                table: "courses");
        }
    }
}
