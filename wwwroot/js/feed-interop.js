// Glue between the live feed components (Blazor) and openFeed in sse-client.js.
// Item callbacks are batched (at most one per 100 ms) so a busy feed does not flood a circuit.
import { openFeed } from "./sse-client.js";

const BATCH_MS = 100;

/** Opens a feed stream; returns { close() }. */
export function openFeedStream(url, callbacks) {
  let pending = null;
  let timer = null;
  const flush = () => {
    timer = null;
    if (pending) {
      const { items, live } = pending;
      pending = null;
      callbacks.invokeMethodAsync("OnItems", items, live).catch(() => {});
    }
  };
  const feed = openFeed(url, {
    onItems: (items, flags) => {
      // The module passes the whole merged page each time; keep the latest, remember whether any was live.
      pending = { items, live: (pending?.live ?? false) || flags.live === true };
      if (!timer) timer = setTimeout(flush, BATCH_MS);
    },
    onComplete: (complete) => {
      clearTimeout(timer);
      flush();
      callbacks.invokeMethodAsync("OnComplete", complete?.nextCursor ?? null).catch(() => {});
    },
    onError: (error, info) => {
      if (info?.willRetry) return; // reconnecting by itself
      callbacks.invokeMethodAsync("OnError", String(error?.message ?? error)).catch(() => {});
    },
    onFallback: () => callbacks.invokeMethodAsync("OnFallback").catch(() => {}),
  });
  return {
    close() {
      clearTimeout(timer);
      feed.close();
    },
  };
}

/** Calls OnNearEnd whenever the element comes into view; returns { close() }. */
export function observeNearEnd(element, callbacks) {
  if (typeof IntersectionObserver === "undefined" || !element) return { close() {} };
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) callbacks.invokeMethodAsync("OnNearEnd").catch(() => {});
  }, { rootMargin: "300px" });
  observer.observe(element);
  return { close: () => observer.disconnect() };
}
