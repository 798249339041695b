// FeedView.razor.js: where the reader is in the feed, told to FeedView. Collocated with the
// component that uses it (as ChatInput.razor.js is); each function returns {dispose()}.

function observe(element, options, report) {
  if (typeof IntersectionObserver === "undefined" || !element) return { dispose() {} };
  const observer = new IntersectionObserver((entries) => {
    // One target per observer: its latest entry is its state.
    const latest = entries[entries.length - 1];
    if (latest) report(latest.isIntersecting);
  }, options);
  observer.observe(element);
  return { dispose: () => observer.disconnect() };
}

/** Calls OnNearEnd whenever `element` (the sentinel under the list) comes within 300 px of view (infinite scroll). */
export function observeNearEnd(element, callbacks) {
  return observe(element, { rootMargin: "300px" }, (visible) => {
    if (visible) callbacks.invokeMethodAsync("OnNearEnd").catch(() => {});
  });
}

/**
 * Calls OnTopChanged(visible) as `element` (a marker at the top of the feed) comes into and leaves
 * view, so that a reader already at the top sees new items appear in place instead of a pill. The
 * top 64 px are the app bar's, which covers the page beneath it.
 */
export function observeTop(element, callbacks) {
  return observe(element, { rootMargin: "-64px 0px 0px 0px" }, (visible) => {
    callbacks.invokeMethodAsync("OnTopChanged", visible).catch(() => {});
  });
}
