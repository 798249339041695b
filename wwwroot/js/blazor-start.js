// blazor-start.js: when Blazor starts. App.razor loads blazor.web.js with autostart="false" and
// this module (a file, not an inline script: the Content-Security-Policy allows only files).
//
// Every page but the landing page starts Blazor at once (the course tutor, the feed and the admin
// page are interactive from the start). On "/", starting Blazor downloads the WebAssembly runtime
// and the app (MBs, seconds) before the guide could answer anything; so there the prerendered
// guide is made usable first (early-guide.js, preloaded by App.razor) and Blazor starts once the
// page has loaded and the browser is idle, and never while a question of the early guide is being
// enqueued, so the WebAssembly guide finds that question in the session's history
// (docs/architecture.md). On "/" App.razor does not even ask for MudBlazor's script and
// blazor.web.js: this module loads them when it starts Blazor.
//
// A module script without async runs when the document is parsed, just before DOMContentLoaded.

/** How long an idle callback may wait on a busy page before Blazor starts anyway. */
const IDLE_TIMEOUT_MS = 2_000;

/** The script tag of this module, which names the URLs of MudBlazor's script and blazor.web.js. */
const startScript = document.querySelector("script[data-blazor-src]");

function loadScript(src, attributes = {}) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
    script.addEventListener("load", () => resolve(), { once: true });
    script.addEventListener("error", () => reject(new Error(`${src} could not be loaded.`)), { once: true });
    script.src = src;
    document.body.append(script);
  });
}

/**
 * blazor.web.js is on its way (App.razor loads it async on every page but "/") or, on "/", not
 * asked for yet: then MudBlazor's script first (its components call into it as soon as they render),
 * then blazor.web.js, told not to start by itself.
 */
async function blazorLoaded() {
  if (window.Blazor) return;
  const script = document.querySelector('script[src*="_framework/blazor.web"]');
  if (script) {
    await new Promise((resolve) => script.addEventListener("load", () => resolve(), { once: true }));
    return;
  }
  await loadScript(startScript.dataset.mudblazorSrc);
  await loadScript(startScript.dataset.blazorSrc, { autostart: "false" });
}

function domParsed() {
  if (document.readyState !== "loading") return Promise.resolve();
  return new Promise((resolve) => document.addEventListener("DOMContentLoaded", () => resolve(), { once: true }));
}

/** After MudBlazor.min.js (deferred: run before DOMContentLoaded) and blazor.web.js. */
async function startBlazor() {
  await domParsed();
  await blazorLoaded();
  window.Blazor.start();
}

function afterLoadWhenIdle() {
  return new Promise((resolve) => {
    const onIdle = () =>
      typeof window.requestIdleCallback === "function" ? window.requestIdleCallback(() => resolve(), { timeout: IDLE_TIMEOUT_MS }) : setTimeout(resolve, 0);
    if (document.readyState === "complete") onIdle();
    else window.addEventListener("load", onIdle, { once: true });
  });
}

async function startAfterEarlyGuide(root) {
  let guide;
  try {
    const { enhanceGuide } = await import("./early-guide.js");
    guide = enhanceGuide(root);
  } catch (error) {
    // Without the early guide the page still works: WebAssembly's guide takes the questions.
    console.error("The landing guide could not be made usable before WebAssembly.", error);
    startBlazor();
    return;
  }
  await afterLoadWhenIdle();
  await guide.settled();
  startBlazor();
}

const earlyGuide = document.querySelector("[data-early-guide]");
if (earlyGuide) startAfterEarlyGuide(earlyGuide);
else startBlazor();

// The sign-out button is in every page's header: the other tabs hear of a sign-out from any page
// (sign-out-sync.js). Loaded after the start is under way, off its path; a page without it still works.
import("./sign-out-sync.js").then(({ announceSignOut }) => announceSignOut()).catch(() => {});
