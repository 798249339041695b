// The feed page the browser shows: merged by id, in the server's (sortDate, id) descending order,
// cut at the cutoff of `feed_complete` so it equals the JSON page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { compareFeedOrder, createFeedPage } from "../../wwwroot/js/feed-page.js";

const item = (id, sortDate) => ({ id, sortDate });

test("Items are ordered newest first, by microseconds Date.parse cannot see, then by id", () => {
  const page = createFeedPage();
  page.merge([
    item("a", "2026-01-01T10:00:00.000100Z"),
    item("b", "2026-01-01T10:00:00.000200Z"),
    item("c", "2026-01-01T11:00:00Z"),
    item("d", "2026-01-01T10:00:00.000200Z"),
  ]);
  assert.deepEqual(page.list().map((i) => i.id), ["c", "d", "b", "a"]);
});

test("An item merged again by id replaces the earlier one instead of showing twice", () => {
  const page = createFeedPage();
  page.merge([{ ...item("a", "2026-01-01T10:00:00Z"), title: "Old" }]);
  page.merge([{ ...item("a", "2026-01-01T10:00:00Z"), title: "New" }]);
  assert.deepEqual(page.list().map((i) => i.title), ["New"]);
});

test("feed_complete's cutoff drops items ordered after it, also ones merged later until a restart", () => {
  const page = createFeedPage();
  page.merge([item("new", "2026-01-03T00:00:00Z"), item("old", "2026-01-01T00:00:00Z")]);
  page.complete(item("mid", "2026-01-02T00:00:00Z"));
  assert.deepEqual(page.list().map((i) => i.id), ["new"]);
  page.merge([item("older", "2025-12-31T00:00:00Z")]);
  assert.deepEqual(page.list().map((i) => i.id), ["new"]);
  page.restart();
  page.merge([item("older", "2025-12-31T00:00:00Z")]);
  assert.deepEqual(page.list().map((i) => i.id), ["new", "older"]);
});

test("replace shows exactly the JSON page's items", () => {
  const page = createFeedPage();
  page.merge([item("x", "2026-01-01T00:00:00Z")]);
  page.replace([item("y", "2026-01-02T00:00:00Z")]);
  assert.deepEqual(page.list().map((i) => i.id), ["y"]);
});

test("compareFeedOrder is zero only for the same item", () => {
  assert.equal(compareFeedOrder(item("a", "2026-01-01T00:00:00Z"), item("a", "2026-01-01T00:00:00Z")), 0);
  assert.ok(compareFeedOrder(item("a", "2026-01-01T00:00:00Z"), item("b", "2026-01-01T00:00:00Z")) > 0);
});
