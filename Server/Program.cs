using BlazorJobs.Server.Hosting;

var site = SiteRoot.Locate();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = site.ContentRoot,
    WebRootPath = site.WebRoot,
});
// Framework and library assets (_framework, _content/MudBlazor) in every environment, not only Development.
builder.WebHost.UseStaticWebAssets();

EmbeddedPostgres? embedded;
try
{
    embedded = await builder.AddBlazorJobsAsync();
}
catch (EmbeddedPostgresException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

var app = builder.Build();
app.UseBlazorJobs();
await app.RunBlazorJobsAsync(embedded);
return 0;

/// <summary>The entry point, visible to integration tests.</summary>
public partial class Program;
