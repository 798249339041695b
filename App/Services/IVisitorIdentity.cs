using Microsoft.AspNetCore.Http;

namespace BlazorJobs.App.Services;

/// <summary>
/// The anonymous visitor's identity, a cookie the server issues on first contact. A page whose scripts send
/// several requests at once as it opens asks for it while it is rendered: without it, each of those first
/// requests, having no cookie, was made a visitor of its own, and the last response's cookie won. On the
/// landing page the guide's question (sent before WebAssembly started) then belonged to one visitor and the
/// events stream's cookie made the browser another, so the guide's history came back empty and the question
/// vanished. Implemented by the server.
/// </summary>
public interface IVisitorIdentity
{
    /// <summary>Issues the visitor cookie with this page's response, unless the caller already has one.</summary>
    void EnsureIssued(HttpContext page);
}
