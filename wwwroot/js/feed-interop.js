// Glue between the live feed components (Blazor) and openFeed in sse-client.js.
// Item callbacks are batched (at most one per 100 ms) so a busy feed does not flood a circuit.
import { openFeed } from "./sse-client.js";

const BATCH_MS = 100;

/**
 * Opens a feed stream; returns { close() }. With `eventsUrl` (`/api/events`) a live page takes its new
 * items from the caller's events stream, which the browser's tabs share, instead of a stream per tab.
 */
export function openFeedStream(url, callbacks, eventsUrl) {
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
    events: eventsUrl ? { url: eventsUrl } : undefined,
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
      const message = String(error?.message ?? error);
      // A failed source group leaves the rest of the page coming; anything else is the connection,
      // told even while the module retries by itself so the reader is not left with a skeleton.
      if (error?.kind === "feed-group") callbacks.invokeMethodAsync("OnSourceFailed", message).catch(() => {});
      else callbacks.invokeMethodAsync("OnConnectionLost", message, info?.willRetry === true).catch(() => {});
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
