using System.Text.Json;
using System.Text.Json.Serialization;

namespace BlazorJobs.Server.Hosting;

/// <summary>
/// PostgreSQL cannot store U+0000 in <c>text</c> (it answers "invalid byte sequence for encoding UTF8: 0x00"),
/// so a NUL that reached a query would turn a client's mistake into a <c>500</c>. Every way text enters
/// (JSON bodies, query strings, form fields) refuses it up front with a <c>400</c> instead.
/// </summary>
public static class NulFreeText
{
    public const string Rule = "Text may not contain the NUL character (U+0000).";

    public static bool HasNul(string? text) => text is not null && text.Contains('\0');
}

/// <summary>Thrown while reading JSON when a string holds U+0000 (a <see cref="JsonException"/>, so it is a malformed-body 400).</summary>
public sealed class NulCharacterException(string message) : JsonException(message);

/// <summary>Reads JSON strings (values and property names) and refuses U+0000, the escaped <c>\u0000</c> included.</summary>
public sealed class NulFreeStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Checked(reader.GetString());

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Checked(reader.GetString())!;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value);

    private static string? Checked(string? value) =>
        NulFreeText.HasNul(value) ? throw new NulCharacterException(NulFreeText.Rule) : value;
}
