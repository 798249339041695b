import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveHeaders, parseData, discardBody } from "../../wwwroot/js/fetch-parts.js";

test("resolveHeaders takes an object, a sync or async function, or nothing", async () => {
  assert.equal((await resolveHeaders({ A: "1" })).get("a"), "1");
  assert.equal((await resolveHeaders(() => ({ B: "2" }))).get("b"), "2");
  assert.equal((await resolveHeaders(async () => ({ C: "3" }))).get("c"), "3");
  assert.equal([...(await resolveHeaders(undefined)).keys()].length, 0);
});

test("parseData returns JSON values, and the text itself when it is not JSON", () => {
  assert.deepEqual(parseData('{"a":1}'), { a: 1 });
  assert.equal(parseData("plain words"), "plain words");
});

test("discardBody cancels a body and never throws", async () => {
  let cancelled = false;
  await discardBody({ body: { cancel: async () => (cancelled = true) } });
  assert.equal(cancelled, true);
  await discardBody({ body: { cancel: async () => Promise.reject(new Error("gone")) } });
  await discardBody({ body: null });
});
