using BlazorJobs.Server.Tutor;

namespace BlazorJobs.Tests.Unit;

public sealed class TextPiecesTests
{
    [Theory]
    [InlineData("")]
    [InlineData("one")]
    [InlineData("one two three four five six seven eight nine")]
    [InlineData("  leading and trailing spaces  ")]
    [InlineData("several   spaces\n\nblank lines\tand tabs between words")]
    [InlineData("The **Modern JavaScript** course covers this.\n\nRead more in [Promises](/courses/modern-javascript?lesson=promises-and-async-await).")]
    public void The_pieces_joined_give_the_text_back_exactly(string text)
    {
        var pieces = TextPieces.Split(text, wordsPerPiece: 4).ToList();

        Assert.Equal(text, string.Concat(pieces));
        Assert.All(pieces, piece => Assert.NotEqual("", piece));
    }

    [Fact]
    public void Each_piece_but_the_last_holds_the_requested_number_of_words()
    {
        var pieces = TextPieces.Split("a b c d e f g h i j", wordsPerPiece: 4).ToList();

        Assert.Equal(["a b c d ", "e f g h ", "i j"], pieces);
    }
}
