using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using MudBlazor.Services;

// The WebAssembly side: the landing guide and the compact feed. They reach the server only through
// the HTTP contract, with the visitor cookie (same origin).
var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.Services.AddMudServices();
builder.Services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) });
await builder.Build().RunAsync();
