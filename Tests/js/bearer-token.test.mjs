// The tutor's bearer token: fetched with the page's antiforgery token, shared by concurrent
// requests, renewed before it expires and after invalidate(), and a refusal is an "auth" error.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BearerToken } from "../../wwwroot/js/bearer-token.js";
import { startServer, sendJson } from "./support-server.mjs";

async function tokenServer(t, answer) {
  let issued = 0;
  const server = await startServer((req, res) => {
    issued += 1;
    answer(res, issued);
  });
  t.after(() => server.close());
  return server;
}

test("One token serves concurrent requests and is fetched with the antiforgery token", async (t) => {
  const server = await tokenServer(t, (res, n) => sendJson(res, 200, { accessToken: `t${n}`, expiresIn: 3600 }));
  const token = new BearerToken(server.url("/api/auth/token"), "af");

  const values = await Promise.all([token.get(), token.get(), token.get()]);

  assert.deepEqual(values, ["t1", "t1", "t1"]);
  assert.equal(server.requests.length, 1);
  assert.equal(server.requests[0].method, "POST");
  assert.equal(server.requests[0].headers.requestverificationtoken, "af");
});

test("A token within a minute of expiring is renewed before use", async (t) => {
  const server = await tokenServer(t, (res, n) => sendJson(res, 200, { accessToken: `t${n}`, expiresIn: 30 }));
  const token = new BearerToken(server.url("/api/auth/token"), "af");

  assert.equal(await token.get(), "t1");
  assert.equal(await token.get(), "t2");
});

test("invalidate makes the next request fetch a fresh token", async (t) => {
  const server = await tokenServer(t, (res, n) => sendJson(res, 200, { accessToken: `t${n}`, expiresIn: 3600 }));
  const token = new BearerToken(server.url("/api/auth/token"), "af");
  await token.get();

  token.invalidate();

  assert.equal(await token.get(), "t2");
});

test("A refused token request fails with kind auth and its status", async (t) => {
  const server = await tokenServer(t, (res) => sendJson(res, 401, { title: "Sign in" }));
  const token = new BearerToken(server.url("/api/auth/token"), "af");

  await assert.rejects(token.get(), (error) => error.kind === "auth" && error.status === 401);
});

test("stillSignedIn asks the server afresh: a refused token means signed out", async (t) => {
  let signedIn = true;
  const server = await tokenServer(t, (res, n) => (signedIn ? sendJson(res, 200, { accessToken: `t${n}`, expiresIn: 3600 }) : sendJson(res, 401, {})));
  const token = new BearerToken(server.url("/api/auth/token"), "af");
  await token.get();

  assert.equal(await token.stillSignedIn(), true);
  signedIn = false;
  assert.equal(await token.stillSignedIn(), false);
  assert.equal(server.requests.length, 3);
});
