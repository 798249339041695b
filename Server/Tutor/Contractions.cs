using System.Text.RegularExpressions;

namespace BlazorJobs.Server.Tutor;

/// <summary>
/// Takes contractions apart before a question is split into words. Split at the apostrophe, "doesn't" gives
/// "doesn" and "t", "I've" gives "ve", "I'd" gives "d": PostgreSQL's english configuration knows none of
/// "doesn", "isn", "ve" or "d" as stop words, so each would weigh as a rare word no lesson uses and cost the
/// question its coverage. The negation and the pronoun's ending carry no topic; the verb is kept.
/// </summary>
public static partial class Contractions
{
    public static string Expand(string text)
    {
        text = Cannot().Replace(text, "can");
        text = Wont().Replace(text, "will");
        text = Negation().Replace(text, "$1");
        return Ending().Replace(text, "");
    }

    [GeneratedRegex(@"\bcan['’]t\b", RegexOptions.IgnoreCase)]
    private static partial Regex Cannot();

    [GeneratedRegex(@"\bwon['’]t\b", RegexOptions.IgnoreCase)]
    private static partial Regex Wont();

    // doesn't, isn't, didn't, shouldn't, haven't... keep the verb.
    [GeneratedRegex(@"\b(\p{L}+)n['’]t\b", RegexOptions.IgnoreCase)]
    private static partial Regex Negation();

    // I'd, you'll, they're, I've, I'm, what's, the user's: keep the word before the apostrophe.
    [GeneratedRegex(@"(?<=\p{L})['’](?:d|ll|re|ve|m|s)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Ending();
}
