// The feed components' glue: item callbacks batched to at most one per 100 ms (the whole page,
// newest first), the page's completion flushed at once, and errors told only when final.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openFeedStream, observeNearEnd } from "../../wwwroot/js/feed-interop.js";
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

test("observeNearEnd without IntersectionObserver (or element) does nothing and closes cleanly", () => {
  const observer = observeNearEnd(undefined, dotnet());
  assert.doesNotThrow(() => observer.close());
});
