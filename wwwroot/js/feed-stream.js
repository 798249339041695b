// feed-stream.js: the live feed (GET /api/feed/stream), with the JSON page as its fallback.
import { runStream, untilClosedControl, DEFAULT_HEARTBEAT_TIMEOUT_MS } from "./reconnecting-stream.js";
import { deliveryError, safeCall, throwIfAborted } from "./delivery-errors.js";
import { linkAbort, pause, realSleep } from "./abortable-wait.js";
import { discardBody, parseData, resolveHeaders } from "./fetch-parts.js";
import { createFeedPage } from "./feed-page.js";
import { EVENTS_STREAM_NAME, subscribeShared } from "./shared-stream.js";

const FEED_REFRESH_MS = 30_000;

function splitUrl(url) {
  const text = String(url);
  const hash = text.indexOf("#");
  const bare = hash === -1 ? text : text.slice(0, hash);
  const query = bare.indexOf("?");
  return query === -1
    ? { path: bare, params: new URLSearchParams() }
    : { path: bare.slice(0, query), params: new URLSearchParams(bare.slice(query + 1)) };
}

/** `/api/feed/stream?cursor=&limit=&live=` → `/api/feed?cursor=&limit=` */
function feedJsonUrl(streamUrl) {
  const { path, params } = splitUrl(streamUrl);
  params.delete("live");
  const query = params.toString();
  return path.replace(/\/stream\/?$/, "") + (query ? `?${query}` : "");
}

/** The same feed stream without its live part: the page, then the server closes it. */
function pageOnlyUrl(streamUrl) {
  const { path, params } = splitUrl(streamUrl);
  params.set("live", "false");
  return `${path}?${params}`;
}

/** The server's default: live on the first page (no cursor) unless `live` says otherwise. */
function isLiveFeed(streamUrl) {
  const { params } = splitUrl(streamUrl);
  const live = params.get("live");
  return live === null ? !params.get("cursor") : live.toLowerCase() === "true";
}

async function fetchFeedPage(url, options, signal) {
  const headers = await resolveHeaders(options.headers);
  headers.set("Accept", "application/json");
  const response = await fetch(url, { headers, credentials: "same-origin", cache: "no-store", signal });
  if (!response.ok) {
    await discardBody(response);
    throw deliveryError("http", `The feed answered HTTP ${response.status}.`, { status: response.status });
  }
  return response.json();
}

/** The stream could not be used: show the JSON page, refreshed while the page is live. */
async function followFeedJson(url, options, page, live, signal) {
  const sleep = options.sleep ?? realSleep;
  for (;;) {
    try {
      const body = await fetchFeedPage(url, options, signal);
      page.replace(body?.items);
      const items = page.list();
      const last = items[items.length - 1];
      safeCall(options.onItems, items, { partial: false, live: false });
      safeCall(options.onComplete, {
        nextCursor: body?.nextCursor ?? null,
        totalItems: items.length,
        cutoff: last ? { sortDate: last.sortDate, id: last.id } : null,
      });
    } catch (error) {
      throwIfAborted(signal);
      const failure = error.kind ? error : deliveryError("network", "The feed could not be fetched.", { cause: error });
      safeCall(options.onError, failure, { willRetry: live });
    }
    if (!live) return;
    await pause(sleep, options.refreshMs ?? FEED_REFRESH_MS, signal);
  }
}

/**
 * Opens the live feed stream (`GET /api/feed/stream`). Items are merged by id and sorted
 * newest first; `feed_complete` drops everything ordered after its `cutoff`, so the page shown
 * equals the JSON page. A reconnect asks for the page again. When the stream cannot be used
 * (refused, switched off, or failing `maxRetries` times in a row) the JSON endpoint is shown
 * instead, re-fetched every 30 s while the page is live.
 *
 * @param {string | URL} url e.g. `/api/feed/stream?limit=20`
 * @param {object} [options]
 * @param {(items: object[], meta: {partial: boolean, live: boolean}) => void} [options.onItems]
 *   the whole merged page, newest first, after every change
 * @param {(page: {nextCursor: string | null, totalItems: number, cutoff: {sortDate: string, id: string} | null}) => void} [options.onComplete]
 * @param {(error: Error, meta: {willRetry: boolean}) => void} [options.onError] failed
 *   connections, `feed_error` groups (kind "feed-group", with `group`) and JSON failures
 * @param {(error: Error) => void} [options.onFallback] when switching to the JSON endpoint
 * @param {HeadersInit | (() => HeadersInit | Promise<HeadersInit>)} [options.headers]
 * @param {string} [options.jsonUrl] defaults to `url` without `/stream` and `live`
 * @param {number} [options.refreshMs=30000] JSON re-fetch period
 * @param {number} [options.maxRetries=5] failed reconnections in a row before falling back
 * @param {number} [options.heartbeatTimeoutMs=45000]
 * @param {AbortSignal} [options.signal] same as calling `close()`
 * @param {(ms: number, signal?: AbortSignal) => Promise<void>} [options.sleep] for tests
 * @param {() => number} [options.random] for tests
 * @param {{url: string, subscribe?: typeof subscribeShared}} [options.events] a live page takes its
 *   live items from the caller's events stream that the browser's tabs share (`/api/events`): the
 *   feed stream then only delivers the page (`live=false`), and is asked again after the shared
 *   stream reconnected (feed items carry no id, so the page is how a gap is filled)
 * @returns {{close(): void, closed: Promise<void>}} `closed` settles once nothing is left running
 */
export function openFeed(url, options = {}) {
  if (options.events && isLiveFeed(url)) return followLiveInEvents(url, options);
  const controller = new AbortController();
  const { signal } = controller;
  const unlink = linkAbort(options.signal, controller);
  const page = createFeedPage();
  const live = isLiveFeed(url);
  const handleEvent = (event) => {
    safeCall(options.onEvent, event);
    const data = parseData(event.data);
    switch (event.type) {
      case "feed_items":
        page.merge(data?.items);
        safeCall(options.onItems, page.list(), { partial: data?.partial === true, live: data?.live === true });
        return undefined;
      case "feed_complete":
        page.complete(data?.cutoff);
        safeCall(options.onItems, page.list(), { partial: false, live: false });
        safeCall(options.onComplete, data);
        // A page that is not live is whole now; the server's close must not cause a reconnect.
        return live ? undefined : { type: "settle", value: undefined };
      case "feed_error": {
        const detail = data?.error ?? "unavailable";
        const error = deliveryError("feed-group", `Feed group ${data?.group} failed: ${detail}`, {
          group: data?.group,
          detail,
        });
        safeCall(options.onError, error, { willRetry: false });
        return undefined;
      }
      default:
        return untilClosedControl(event);
    }
  };
  const follow = async () => {
    try {
      const outcome = await runStream(url, {
        headers: options.headers,
        signal,
        heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
        maxRetries: options.maxRetries,
        sleep: options.sleep,
        random: options.random,
        handleEvent,
        onOpen: () => page.restart(),
        // Feed events carry no id, so a delivered page is what proves the stream works.
        isProgress: (event) => event.type === "feed_complete",
        onRetry: (error) => safeCall(options.onError, error, { willRetry: true }),
      });
      if (!outcome.noContent) return;
      safeCall(options.onFallback, deliveryError("http", "The feed stream answered 204.", { status: 204 }));
    } catch (error) {
      throwIfAborted(signal);
      safeCall(options.onFallback, error);
    }
    await followFeedJson(options.jsonUrl ?? feedJsonUrl(url), options, page, live, signal);
  };
  const closed = follow()
    .catch((error) => {
      if (!signal.aborted) safeCall(options.onError, error, { willRetry: false });
    })
    .finally(unlink);
  return { close: () => controller.abort(), closed };
}

/**
 * A live page whose live part rides on the shared events stream: the page from the feed stream
 * (not live), new items from `feed_items` of the events stream, the page again after each
 * reconnection of the shared stream (a takeover by another tab included).
 */
function followLiveInEvents(url, options) {
  const controller = new AbortController();
  const unlink = linkAbort(options.signal, controller);
  let reloading = Promise.resolve();
  const loadPage = () =>
    (reloading = reloading.then(() => openFeed(pageOnlyUrl(url), { ...options, events: undefined, signal: controller.signal, onItems: onPageItems }).closed));
  let shown = [];
  // A page merges into what is shown rather than replacing it: a live item that arrived while the
  // page was loading (the page may come from the server's cache, from before it) must not vanish.
  const onPageItems = (items, meta) => {
    const page = createFeedPage();
    page.replace(shown);
    page.merge(items);
    shown = page.list();
    safeCall(options.onItems, shown, meta);
  };
  const subscription = (options.events.subscribe ?? subscribeShared)(options.events.url, EVENTS_STREAM_NAME, (message) => {
    if (message.error) {
      safeCall(options.onError, deliveryError(message.error.kind ?? "network", message.error.message ?? "The events stream failed."), { willRetry: message.willRetry });
      return;
    }
    const { event } = message;
    if (event.type === "connected") loadPage(); // after a gap (a reconnection, a takeover): the page fills it
    if (event.type !== "feed_items") return;
    const page = createFeedPage();
    page.replace(shown);
    page.merge(parseData(event.data)?.items);
    shown = page.list();
    safeCall(options.onItems, shown, { partial: false, live: true });
  });
  loadPage();
  const closed = new Promise((resolve) => controller.signal.addEventListener("abort", resolve, { once: true })).then(() => reloading).finally(unlink);
  controller.signal.addEventListener("abort", () => subscription.close(), { once: true });
  return { close: () => controller.abort(), closed };
}
