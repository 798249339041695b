using BlazorJobs.Server.Tutor;

namespace BlazorJobs.Tests.Unit;

public sealed class CodeSymbolsTests
{
    [Fact]
    public void A_question_names_operators_by_their_spelling_longest_first()
    {
        var (stems, remainder) = CodeSymbols.Read("== vs === which one, and is !important bad?");

        Assert.Equal(["op_loose_equal", "op_strict_equal", "op_important"], stems);
        Assert.DoesNotContain("important", remainder);
    }

    [Fact]
    public void A_lesson_symbol_takes_the_position_of_the_next_word_the_index_counts()
    {
        Assert.Equal([(2, "op_for_of"), (6, "op_strict_equal")], CodeSymbols.Find("Use `for...of` loops; `a === b`."));
    }

    [Fact]
    public void Plain_text_has_no_symbols()
    {
        Assert.Empty(CodeSymbols.Find("For each item in the list, compare it with the important one."));
    }
}
