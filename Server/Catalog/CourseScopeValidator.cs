using Npgsql;

namespace BlazorJobs.Server.Catalog;

/// <summary>Checks that a question's <c>courseId</c>/<c>lessonId</c> name a published course and one of its lessons.</summary>
public sealed class CourseScopeValidator(NpgsqlDataSource dataSource)
{
    /// <returns>null when valid, else what is wrong.</returns>
    public async Task<string?> ValidateAsync(Guid? courseId, Guid? lessonId, CancellationToken cancellationToken)
    {
        if (courseId is null && lessonId is null)
        {
            return null;
        }
        await using var command = dataSource.CreateCommand(
            """
            SELECT
              (@course::uuid IS NULL OR EXISTS (SELECT 1 FROM courses WHERE id = @course AND published)),
              (@lesson::uuid IS NULL OR EXISTS (
                  SELECT 1 FROM lessons l JOIN courses c ON c.id = l.course_id AND c.published
                  WHERE l.id = @lesson AND (@course::uuid IS NULL OR l.course_id = @course)))
            """);
        command.Parameters.Add(new NpgsqlParameter("course", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)courseId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("lesson", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)lessonId ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (!reader.GetBoolean(0))
        {
            return "'courseId' does not name a published course.";
        }
        return reader.GetBoolean(1) ? null : "'lessonId' does not name a lesson of a published course (of 'courseId', when given).";
    }
}
