using System.Globalization;
using System.Net;
using System.Text;

namespace BlazorJobs.Bench.Report;

/// <summary>
/// A small line chart written as an SVG file by the benchmark itself (no charting package: a few lines,
/// axes and a legend are all docs/benchmarks.md needs). Titled and described for screen readers.
/// </summary>
public sealed class SvgLineChart(string title, string xLabel, string yLabel)
{
    private const int Width = 640, Height = 360, Left = 70, Right = 200, Top = 40, Bottom = 50;
    private static readonly string[] Colours = ["#555555", "#1f77b4", "#d62728", "#2ca02c", "#9467bd"];
    private readonly List<(string Name, IReadOnlyList<(double X, double Y)> Points)> _series = [];

    public SvgLineChart Series(string name, IEnumerable<(double X, double Y)> points)
    {
        _series.Add((name, points.ToList()));
        return this;
    }

    public void Write(string path)
    {
        var all = _series.SelectMany(s => s.Points).ToList();
        var xMax = all.Count == 0 ? 1 : all.Max(p => p.X);
        var yMax = all.Count == 0 ? 1 : all.Max(p => p.Y) * 1.1;
        double X(double x) => Left + x / xMax * (Width - Left - Right);
        double Y(double y) => Height - Bottom - y / yMax * (Height - Top - Bottom);
        string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" role="img" aria-labelledby="t d" font-family="sans-serif" font-size="12">""").AppendLine();
        svg.AppendLine(CultureInfo.InvariantCulture, $"<title id=\"t\">{WebUtility.HtmlEncode(title)}</title>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<desc id=\"d\">{WebUtility.HtmlEncode(string.Join("; ", _series.Select(s => s.Name + ": " + string.Join(", ", s.Points.Select(p => $"{N(p.X)} → {N(p.Y)}")))))}</desc>");
        svg.AppendLine($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">{WebUtility.HtmlEncode(title)}</text>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"black\"/>");
        for (var i = 0; i <= 4; i++)
        {
            var y = yMax * i / 4;
            var x = xMax * i / 4;
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{N(Y(y) + 4)}\" text-anchor=\"end\">{N(y)}</text>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{N(X(x))}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{x.ToString("N0", CultureInfo.InvariantCulture)}</text>");
        }
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 12}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(xLabel)}</text>");
        svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"16\" y=\"{(Top + Height - Bottom) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 16 {(Top + Height - Bottom) / 2})\">{WebUtility.HtmlEncode(yLabel)}</text>");
        for (var s = 0; s < _series.Count; s++)
        {
            var colour = Colours[s % Colours.Length];
            var points = string.Join(' ', _series[s].Points.OrderBy(p => p.X).Select(p => $"{N(X(p.X))},{N(Y(p.Y))}"));
            svg.AppendLine(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{points}\"/>");
            foreach (var p in _series[s].Points)
            {
                svg.AppendLine(CultureInfo.InvariantCulture, $"<circle cx=\"{N(X(p.X))}\" cy=\"{N(Y(p.Y))}\" r=\"3\" fill=\"{colour}\"/>");
            }
            var legendY = Top + 10 + s * 18;
            svg.AppendLine(CultureInfo.InvariantCulture, $"<rect x=\"{Width - Right + 12}\" y=\"{legendY - 9}\" width=\"12\" height=\"12\" fill=\"{colour}\"/>");
            svg.AppendLine(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right + 30}\" y=\"{legendY + 2}\">{WebUtility.HtmlEncode(_series[s].Name)}</text>");
        }
        svg.AppendLine("</svg>");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, svg.ToString());
    }
}
