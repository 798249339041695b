import { test } from "node:test";
import assert from "node:assert/strict";
import { openFeed } from "../../wwwroot/js/feed-stream.js";
import { startServer, openSse, sendJson, sendProblem, signal, DELIVERY_DISABLED } from "./support-server.mjs";

async function serve(t, handler) {
  const server = await startServer(handler);
  t.after(() => server.close());
  return server;
}

const item = (id, sortDate, title = id) => ({ id, type: id.split(":")[0], title, summary: "", sortDate });
const A = item("course:a", "2025-01-01T12:00:05Z");
const B = item("lesson:b", "2025-01-01T12:00:04Z");
const C = item("course:c", "2025-01-01T12:00:03Z");
const D = item("lesson:d", "2025-01-01T12:00:01Z");
const N = item("answer:n", "2025-01-01T12:00:09Z");
const cutoffAt = (x) => ({ sortDate: x.sortDate, id: x.id });
const ids = (items) => items.map((x) => x.id);

/** A sleep that keeps the schedule's shape but not its length, and still honours the signal. */
function shortSleep(ms, abortSignal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, Math.min(ms, 10));
    abortSignal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(Object.assign(new Error("aborted"), { kind: "aborted" }));
    });
  });
}

test("Partial batches merge and sort, feed_complete applies the cutoff, live items follow", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    sse.send("feed_items", { items: [A, C], partial: true });
    sse.send("feed_items", { items: [B, D], partial: true });
    sse.send("feed_complete", { nextCursor: "cursor-2", totalItems: 3, cutoff: cutoffAt(C) });
    sse.send("feed_items", { items: [N], live: true });
  });
  const calls = [];
  const completes = [];
  const live = signal();
  const feed = openFeed(server.url("/api/feed/stream?limit=3"), {
    onItems: (items, meta) => {
      calls.push([ids(items), meta]);
      if (meta.live) live.resolve();
    },
    onComplete: (page) => completes.push(page),
  });
  await live.promise;
  assert.deepEqual(calls, [
    [ids([A, C]), { partial: true, live: false }],
    [ids([A, B, C, D]), { partial: true, live: false }],
    [ids([A, B, C]), { partial: false, live: false }],
    [ids([N, A, B, C]), { partial: false, live: true }],
  ]);
  assert.deepEqual(completes, [{ nextCursor: "cursor-2", totalItems: 3, cutoff: cutoffAt(C) }]);
  feed.close();
  await feed.closed;
  await server.requests[0].closed;
});

test("Items are merged by id and ordered by (sortDate, id) descending, to the microsecond", async (t) => {
  const early = item("x:9", "2025-01-01T12:00:02.000100Z");
  const late = item("x:0", "2025-01-01T12:00:02.000200Z");
  const lateHigherId = item("x:1", "2025-01-01T12:00:02.000200Z");
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    sse.send("feed_items", { items: [early, late], partial: true });
    sse.send("feed_items", { items: [lateHigherId, { ...early, title: "renamed" }], partial: true });
  });
  const second = signal();
  let latest;
  const feed = openFeed(server.url("/api/feed/stream"), {
    onItems: (items) => {
      latest = items;
      if (items.length === 3) second.resolve();
    },
  });
  await second.promise;
  assert.deepEqual(ids(latest), ["x:1", "x:0", "x:9"]);
  assert.equal(latest[2].title, "renamed");
  feed.close();
  await feed.closed;
});

test("A reconnect asks for the page again and merges it by id", async (t) => {
  const server = await serve(t, (req, res, info) => {
    const sse = openSse(res);
    const a = info.index === 0 ? A : { ...A, title: "updated" };
    sse.send("feed_items", { items: [a, B], partial: true });
    sse.send("feed_complete", { nextCursor: "n", totalItems: 2, cutoff: cutoffAt(B) });
    if (info.index === 0) sse.drop();
  });
  const done = signal();
  let latest;
  const feed = openFeed(server.url("/api/feed/stream?limit=2"), {
    onComplete: () => server.requests.length === 2 && done.resolve(),
    onItems: (items) => (latest = items),
  });
  await done.promise;
  assert.deepEqual(ids(latest), ids([A, B]));
  assert.equal(latest[0].title, "updated");
  assert.equal(server.requests[1].path, "/api/feed/stream");
  assert.equal(server.requests[1].query.get("limit"), "2");
  feed.close();
  await feed.closed;
});

test("A page that is not live ends after feed_complete without reconnecting", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    sse.send("feed_items", { items: [C, D], partial: true });
    sse.send("feed_complete", { nextCursor: null, totalItems: 2, cutoff: cutoffAt(D) });
    sse.end();
  });
  const completes = [];
  const feed = openFeed(server.url("/api/feed/stream?cursor=abc&limit=2"), { onComplete: (p) => completes.push(p) });
  await feed.closed;
  assert.equal(completes.length, 1);
  assert.equal(server.requests.length, 1);
});

test("feed_error reports the failed group while the others are delivered", async (t) => {
  const server = await serve(t, (req, res) => {
    const sse = openSse(res);
    sse.send("feed_items", { items: [A], partial: true });
    sse.send("feed_error", { group: "discussions", error: "timed out" });
    sse.send("feed_complete", { nextCursor: null, totalItems: 1, cutoff: cutoffAt(A) });
  });
  const complete = signal();
  const errors = [];
  const feed = openFeed(server.url("/api/feed/stream"), {
    onError: (e) => errors.push([e.kind, e.group, e.detail]),
    onComplete: complete.resolve,
  });
  await complete.promise;
  assert.deepEqual(errors, [["feed-group", "discussions", "timed out"]]);
  feed.close();
  await feed.closed;
});

test("When the stream is switched off it falls back to the JSON page, re-fetched periodically", async (t) => {
  const page = { items: [B, A], nextCursor: "next" };
  const server = await serve(t, (req, res, info) => {
    if (info.path === "/api/feed/stream") return sendProblem(res, 503, DELIVERY_DISABLED);
    sendJson(res, 200, page);
  });
  const fallbacks = [];
  const calls = [];
  const completes = [];
  const twice = signal();
  const feed = openFeed(server.url("/api/feed/stream?limit=2&live=true"), {
    refreshMs: 20,
    onFallback: (e) => fallbacks.push(e.kind),
    onItems: (items, meta) => calls.push([ids(items), meta]),
    onComplete: (p) => {
      completes.push(p);
      if (completes.length === 2) twice.resolve();
    },
  });
  await twice.promise;
  feed.close();
  await feed.closed;
  const json = server.requests.filter((r) => r.path === "/api/feed");
  assert.equal(json.length, 2);
  assert.equal(json[0].query.get("limit"), "2");
  assert.equal(json[0].query.has("live"), false);
  assert.deepEqual(fallbacks, ["delivery-disabled"]);
  assert.deepEqual(calls[0], [ids([A, B]), { partial: false, live: false }]);
  assert.deepEqual(completes[0], { nextCursor: "next", totalItems: 2, cutoff: cutoffAt(B) });
  const count = server.requests.length;
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(server.requests.length, count, "close() stopped the refreshes");
});

test("A stream that keeps failing falls back to JSON after maxRetries", async (t) => {
  const server = await serve(t, (req, res, info) => {
    if (info.path === "/api/feed/stream") return req.socket.destroy();
    sendJson(res, 200, { items: [A], nextCursor: null });
  });
  const loaded = signal();
  const retries = [];
  const feed = openFeed(server.url("/api/feed/stream"), {
    maxRetries: 2,
    sleep: shortSleep,
    onError: (e, meta) => retries.push(meta.willRetry),
    onItems: loaded.resolve,
  });
  await loaded.promise;
  feed.close();
  await feed.closed;
  assert.equal(server.requests.filter((r) => r.path === "/api/feed/stream").length, 3);
  assert.deepEqual(retries, [true, true]);
});

test("With options.events, the page comes from the feed stream without its live part, live items from the shared events stream, and a reconnection loads the page again", async (t) => {
  const pageRequests = [];
  const server = await serve(t, (req, res, info) => {
    pageRequests.push(req.url);
    const sse = openSse(res);
    sse.send("feed_items", { items: [A, B], partial: true });
    sse.send("feed_complete", { nextCursor: null, totalItems: 2, cutoff: cutoffAt(B) });
    res.end();
  });
  let listener;
  let shareClosed = false;
  const subscribe = (url, name, l) => {
    assert.deepEqual([url, name], ["/api/events", "blazorjobs-events"]);
    listener = l;
    return { close: () => (shareClosed = true) };
  };
  const shown = [];
  const firstPage = signal();
  const feed = openFeed(server.url("/api/feed/stream?limit=2"), {
    events: { url: "/api/events", subscribe },
    onItems: (items, meta) => {
      shown.push([ids(items), meta.live]);
      if (meta.partial === false && !meta.live) firstPage.resolve();
    },
  });
  await firstPage.promise;

  listener({ event: { type: "feed_items", data: JSON.stringify({ items: [N], live: true }), id: "" } });
  assert.deepEqual(shown.at(-1), [["answer:n", "course:a", "lesson:b"], true]);
  listener({ event: { type: "connected", data: "{}", id: "" } });
  while (pageRequests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));

  feed.close();
  await feed.closed;
  assert.ok(pageRequests.every((u) => u.includes("live=false")), pageRequests.join(", "));
  assert.equal(shareClosed, true);
});

test("The server's control events: timeout and reauthenticate reconnect at once, delivery_disabled hands the feed to JSON", async (t) => {
  let connections = 0;
  const server = await serve(t, (req, res) => {
    if (!req.url.startsWith("/api/feed/stream")) return sendJson(res, 200, { items: [], nextCursor: null });
    connections++;
    const sse = openSse(res);
    if (connections === 1) sse.send("timeout", {});
    else if (connections === 2) sse.send("reauthenticate", {});
    else sse.send("delivery_disabled", {});
  });
  const fellBack = signal();
  const errors = [];
  const feed = openFeed(server.url("/api/feed/stream?limit=3&live=true"), {
    sleep: shortSleep,
    onError: (error, meta) => errors.push([error.kind, meta.willRetry]),
    onFallback: (error) => fellBack.resolve(error),
  });

  const reason = await fellBack.promise;
  feed.close();
  await feed.closed;

  assert.equal(connections, 3);
  assert.equal(reason.kind, "delivery-disabled");
  assert.deepEqual(errors, [], "a reconnection the server asked for is not an error");
});
