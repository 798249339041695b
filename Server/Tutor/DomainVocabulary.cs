using System.Text.RegularExpressions;

namespace BlazorJobs.Server.Tutor;

/// <summary>
/// What the retrieval knows about how learners talk: the everyday phrases and words that mean a course
/// term ("in parallel" → concurrency), the words that carry no topic ("example", "way", "fix"), and the
/// technologies the catalogue does not teach (a question about Django is not answered from EF Core).
/// </summary>
public static partial class DomainVocabulary
{
    /// <summary>A phrase is replaced by one concept matched by any of these words.</summary>
    public static readonly IReadOnlyList<(Regex Phrase, string Means)> Phrases =
    [
        (InParallel(), "concurrent promise all"),
        (UnderTheHood(), "plan execution internals"),
        (AddUp(), "reduce accumulator"),
        (WaitForAll(), "promise all"),
        (TooManyConnections(), "connection pool"),
        (LiveUpdates(), "server sent events real time"),
        (KeepsGrowing(), "dead tuples vacuum bloat"),
        (KeepOnly(), "filter"),
        (AsYouType(), "debounce input"),
    ];

    /// <summary>Words a lesson says differently; the word itself still counts, these are its alternatives.</summary>
    public static readonly IReadOnlyDictionary<string, string> Synonyms = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["js"] = "javascript", ["postgres"] = "postgresql", ["pg"] = "postgresql", ["db"] = "database",
        ["async"] = "asynchronous promise", ["flex"] = "flexbox", ["auth"] = "authentication authorization",
        ["jwt"] = "token bearer", ["di"] = "dependency injection", ["sse"] = "server sent events", ["ef"] = "entity framework",
        ["phone"] = "mobile responsive viewport", ["phones"] = "mobile responsive viewport", ["mobile"] = "responsive viewport",
        ["centre"] = "center align", ["center"] = "align", ["slow"] = "performance index", ["json"] = "jsonb", ["diff"] = "difference", ["increment"] = "identity generated serial", ["a11y"] = "accessibility",
        ["login"] = "authentication token", ["logged"] = "authentication token", ["signin"] = "authentication", ["password"] = "authentication",
        ["theme"] = "custom properties", ["dark"] = "theme custom properties", ["colour"] = "color",
        ["override"] = "specificity cascade", ["overrides"] = "specificity cascade", ["wins"] = "specificity cascade", ["priority"] = "specificity cascade",
        ["spacing"] = "padding margin", ["gap"] = "gap margin", ["tags"] = "elements", ["tag"] = "element", ["divs"] = "div elements", ["markup"] = "elements",
        ["keyboard"] = "focus keyboard", ["blind"] = "screen reader", ["contrast"] = "contrast ratio",
        ["click"] = "event listener", ["clicked"] = "event listener", ["handler"] = "event listener", ["handlers"] = "event listener",
        ["timer"] = "settimeout", ["freeze"] = "block event loop", ["freezes"] = "block event loop", ["hangs"] = "block event loop",
        ["remember"] = "closure", ["inherit"] = "inheritance prototype extends", ["inheritance"] = "prototype extends",
        ["hoisting"] = "hoisted", ["url"] = "route", ["urls"] = "route", ["settings"] = "configuration options", ["config"] = "configuration options",
        ["orm"] = "entity framework", ["linq"] = "linq query", ["monitor"] = "metrics health", ["monitoring"] = "metrics health",
        ["redis"] = "distributed cache", ["expire"] = "expiration", ["expires"] = "expiration",
        ["money"] = "numeric", ["dates"] = "timestamptz", ["date"] = "timestamptz",
        ["locking"] = "lock", ["overwrite"] = "lost update concurrency", ["overwrites"] = "lost update concurrency",
        ["deleted"] = "dead tuples", ["growing"] = "bloat dead tuples", ["highlight"] = "ts_headline", ["typos"] = "trigram", ["typo"] = "trigram",
        ["nested"] = "path", ["pubsub"] = "listen notify", ["subscribe"] = "listen notify", ["poll"] = "polling",
        ["rename"] = "migration expand contract", ["downtime"] = "migration",
        // Everyday words for what the lessons name otherwise, none of them used by a lesson.
        ["bold"] = "strong", ["italic"] = "em emphasis", ["italics"] = "em emphasis", ["menu"] = "nav navigation", ["menus"] = "nav navigation",
        ["navbar"] = "nav navigation", ["textbox"] = "input field", ["autofill"] = "autocomplete",
        ["squish"] = "shrink", ["squished"] = "shrink", ["squashed"] = "shrink", ["squeeze"] = "shrink", ["squeezed"] = "shrink", ["tiles"] = "grid",
        ["laptop"] = "desktop screen viewport", ["laptops"] = "desktop screen viewport", ["ipad"] = "tablet viewport", ["ipads"] = "tablet viewport",
        ["hex"] = "color colour", ["colorblind"] = "colour contrast", ["mock"] = "fake stub test", ["mocks"] = "fake stub test", ["mocking"] = "fake stub test",
        ["interceptor"] = "middleware", ["laggy"] = "block main thread long task", ["janky"] = "block main thread long task",
        ["unresponsive"] = "block main thread long task", ["hang"] = "block event loop", ["hanging"] = "block event loop",
        ["website"] = "site page", ["websites"] = "site page", ["ajax"] = "fetch xmlhttprequest", ["cdn"] = "cdns cache", ["currency"] = "numeric money", ["uppercase"] = "case lowercase",
        ["capital"] = "case lowercase", ["capitals"] = "case lowercase", ["fuzzy"] = "trigram", ["nosql"] = "jsonb document",
        ["schemaless"] = "jsonb document", ["sleep"] = "delay settimeout", ["replica"] = "standby", ["replicas"] = "standby",
    };

    /// <summary>
    /// Stems (PostgreSQL's english configuration) of words that say how a question is asked, not what it is
    /// about, and contractions typed without the apostrophe ("whats", "dont"), which PostgreSQL does not know
    /// as stop words: they count a quarter, so "example" cannot carry a question to the flexbox lesson on its own.
    /// </summary>
    public static readonly IReadOnlySet<string> Filler = new HashSet<string>(
        ("use make get work way differ differenc exampl best good bad idea need want help thing someth actual fix mean question explain " +
         "understand learn tell show know happen tri possibl right wrong problem issu ok also just like pleas instead better correct " +
         "proper simpl easi sure still even thank sorri go say see look keep put write find take give one two lot bunch whole realli " +
         "alway never mani much big small tini huge straight away would could should though although alreadi els rest turn stuff bit " +
         "kind anyth everyth somebodi someon yeah hey hi hello okay fine etc via insid outsid within across along around " +
         "what whats dont cant didnt wont isnt doesnt arent wasnt shouldnt couldnt im ive youre vs versus " +
         "got goe gone seem forev nobodi mine ton info").Split(' '));

    /// <summary>
    /// Stems of the words that frame a question as a request to be taught ("teach me", "is there a lesson on",
    /// "the basics of", "what does the course say about"): they say how the learner asks, never what about, so they
    /// are not part of the question at all. As scaffolding they still weighed as words no lesson uses and cost
    /// "teach me css grid basics" its coverage. Neither "explain" (EXPLAIN is a lesson's topic) nor "learn" ("machine learning")
    /// is one of them: they stay scaffolding.
    /// </summary>
    public static readonly IReadOnlySet<string> AskingFrame = new HashSet<string>(
        "teach lesson cours tutori tutor basic intro introduct overview eli5".Split(' '));

    /// <summary>
    /// Technologies and products the catalogue does not teach. A question naming one of them (when no lesson
    /// mentions it) is about something else, however many of its other words the lessons share.
    /// </summary>
    public static readonly IReadOnlySet<string> ForeignTechnologies = new HashSet<string>(
        ("react angular vue svelte jquery bootstrap tailwind sass python django flask pandas numpy pytorch tensorflow java spring " +
         "maven gradle kotlin swift swiftui ios android xcode rust golang ruby rails php laravel wordpress mysql mariadb mongodb " +
         "sqlite oracle cassandra elasticsearch docker kubernetes terraform ansible aws azure gcp lambda excel vlookup unity unreal " +
         "godot cobol fortran perl haskell scala elixir dart flutter matlab photoshop figma linux ubuntu windows macos iphone").Split(' '),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The technologies the catalogue teaches, as learners name them (words as split from the question).</summary>
    public static readonly IReadOnlySet<string> CatalogueTechnologies = new HashSet<string>(
        "html html5 css css3 javascript js node nodejs postgres postgresql pg aspnet asp dotnet efcore ef npgsql".Split(' '),
        StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex(@"\bin parallel\b|\bat the same time\b|\bconcurrently\b|\bat once\b")]
    private static partial Regex InParallel();

    [GeneratedRegex(@"\bunder the hood\b")]
    private static partial Regex UnderTheHood();

    [GeneratedRegex(@"\badd(ing)? up\b|\bsum( up)?\b|\btotal\b")]
    private static partial Regex AddUp();

    [GeneratedRegex(@"\bwait for (both|all|them all|every)\b")]
    private static partial Regex WaitForAll();

    [GeneratedRegex(@"\btoo many (clients|connections)\b")]
    private static partial Regex TooManyConnections();

    [GeneratedRegex(@"\b(live|real[- ]?time) updates?\b|\bpush(ed)? (updates|changes)\b")]
    private static partial Regex LiveUpdates();

    [GeneratedRegex(@"\bkeeps? growing\b|\bbloat(ed)?\b")]
    private static partial Regex KeepsGrowing();

    [GeneratedRegex(@"\bkeep only\b|\bonly keep\b")]
    private static partial Regex KeepOnly();

    [GeneratedRegex(@"\bkeystrokes?\b|\bas (the user|i|you) types?\b")]
    private static partial Regex AsYouType();
}
