// The feed components' glue: item callbacks batched to at most one per 100 ms (the whole page,
// newest first), the page's completion flushed at once, and errors told only when final.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openFeedStream } from "../../wwwroot/js/feed-interop.js";
import { startServer, openSse, signal } from "./support-server.mjs";

const item = (id, sortDate) => ({ id, type: id.split(":")[0], title: id, summary: "", sortDate });

function dotnet() {
  const calls = [];
  const completed = signal();
  return {
    calls,
    completed: completed.promise,
    invokeMethodAsync(name, ...args) {
      calls.push([name, ...args]);
      if (name === "OnComplete") completed.resolve();
      return Promise.resolve();
    },
  };
}

test("Batches arrive as one OnItems with the merged page, then OnComplete with the next cursor", async (t) => {
  const server = await startServer((req, res) => {
    const sse = openSse(res);
    sse.send("feed_items", { items: [item("course:a", "2026-01-01T10:00:00Z")], partial: true });
    sse.send("feed_items", { items: [item("lesson:b", "2026-01-01T11:00:00Z")], partial: true });
    sse.send("feed_complete", { nextCursor: "next", totalItems: 2, cutoff: null });
  });
  t.after(() => server.close());
  const callbacks = dotnet();

  const feed = openFeedStream(server.url("/api/feed/stream?limit=2"), callbacks);
  t.after(() => feed.close());
  await callbacks.completed;

  const items = callbacks.calls.filter(([name]) => name === "OnItems");
  assert.equal(items.length, 1, "the batches within 100 ms are one call");
  assert.deepEqual(items[0][1].map((i) => i.id), ["lesson:b", "course:a"]);
  assert.equal(items[0][2], false);
  assert.deepEqual(callbacks.calls.at(-1), ["OnComplete", "next"]);
});

test("A failed source group is OnSourceFailed; a connection that fails is OnConnectionLost at once, while the module retries", async (t) => {
  let requests = 0;
  const server = await startServer((req, res) => {
    requests += 1;
    if (requests === 1) {
      const sse = openSse(res);
      sse.send("feed_error", { group: "slow", error: "The slow sources could not be read." });
      sse.send("feed_complete", { nextCursor: null, totalItems: 0, cutoff: null });
      res.end();
      return;
    }
    res.writeHead(503).end();
  });
  t.after(() => server.close());
  const lost = signal();
  const callbacks = dotnet();
  const invoke = callbacks.invokeMethodAsync;
  callbacks.invokeMethodAsync = (name, ...args) => {
    if (name === "OnConnectionLost") lost.resolve();
    return invoke(name, ...args);
  };

  const feed = openFeedStream(server.url("/api/feed/stream?limit=2"), callbacks);
  t.after(() => feed.close());
  await lost.promise;

  assert.deepEqual(callbacks.calls.find(([name]) => name === "OnSourceFailed"), ["OnSourceFailed", "Feed group slow failed: The slow sources could not be read."]);
  const [, , willRetry] = callbacks.calls.find(([name]) => name === "OnConnectionLost");
  assert.equal(willRetry, true);
});

test("With an events URL the live page loads without live items and takes new ones from the events stream", async (t) => {
  const server = await startServer((req, res, info) => {
    const sse = openSse(res);
    if (info.path === "/api/events") {
      sse.send("connected", { caller: "visitor" });
      sse.send("feed_items", { items: [item("answer:new", "2026-01-01T12:00:00Z")] });
      return; // stays open, as the shared stream does
    }
    sse.send("feed_items", { items: [item("course:a", "2026-01-01T10:00:00Z")], partial: false });
    sse.send("feed_complete", { nextCursor: null, totalItems: 1, cutoff: null });
    res.end();
  });
  t.after(() => server.close());
  const live = signal();
  const callbacks = dotnet();
  const invoke = callbacks.invokeMethodAsync;
  callbacks.invokeMethodAsync = (name, ...args) => {
    if (name === "OnItems" && args[1] === true) live.resolve(args[0]);
    return invoke(name, ...args);
  };

  const feed = openFeedStream(server.url("/api/feed/stream?limit=2"), callbacks, server.url("/api/events"));
  t.after(() => feed.close());
  const items = await live.promise;

  assert.ok(items.some((i) => i.id === "answer:new"), "the events stream's item is shown as live");
  const feedRequests = server.requests.filter((r) => r.path === "/api/feed/stream");
  assert.ok(feedRequests.length >= 1);
  assert.ok(feedRequests.every((r) => r.query.get("live") === "false"), "the feed stream only delivers the page");
  assert.equal(server.requests.filter((r) => r.path === "/api/events").length, 1);
});
