namespace BlazorJobs.Server.Tutor;

/// <summary>
/// Typo tolerance: a word whose stem no lesson uses is read as the nearest word the lessons do use, and
/// matched by that word's stem. Words are compared as typed, not as stems: a misspelling often stems
/// differently from the word meant ("verticaly" → "verticali", "vertically" → "vertic"; "valdiation" →
/// "valdiat", "validation" → "valid"), so stems can be many edits apart when the words are one.
/// </summary>
public static class TypoCorrection
{
    /// <summary>Words this long get two edits, and a correction of them is trusted as fully as the word.</summary>
    public const int LongWord = 8;

    private const int ShortestCorrected = 5;

    /// <summary>
    /// The stem of the lesson word one edit (insert, delete, substitute, swap) from <paramref name="word"/> for
    /// words of 5–7 letters, two from 8; the first letter must agree (people rarely mistype it, and it keeps
    /// "pizza" from becoming a lesson word). Ties go to the word whose stem more paragraphs use, then to
    /// ordinal order, so the choice never varies. Null when no lesson word is that close.
    /// </summary>
    public static string? Nearest(string word, LessonIndex index)
    {
        if (word.Length < ShortestCorrected)
        {
            return null;
        }
        var allowed = word.Length < LongWord ? 1 : 2;
        (int Distance, int Frequency, string Word, string Stem)? best = null;
        foreach (var (candidate, stem) in index.WordStems)
        {
            if (Math.Abs(candidate.Length - word.Length) > allowed || candidate[0] != word[0])
            {
                continue;
            }
            var distance = Distance(word, candidate);
            if (distance > allowed)
            {
                continue;
            }
            var frequency = index.ChunkFrequency(stem);
            if (best is not { } current || distance < current.Distance
                || (distance == current.Distance && (frequency > current.Frequency
                    || (frequency == current.Frequency && string.CompareOrdinal(candidate, current.Word) < 0))))
            {
                best = (distance, frequency, candidate, stem);
            }
        }
        return best?.Stem;
    }

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent swaps).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
