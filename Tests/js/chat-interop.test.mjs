import { test } from "node:test";
import assert from "node:assert/strict";
import { createChat, earlyQuestionsSettled } from "../../wwwroot/js/chat-interop.js";
import { ChatClient } from "../../wwwroot/js/chat-client.js";

test("createChat gives the components a ChatClient bound to their callbacks", () => {
  const callbacks = { invokeMethodAsync: async () => {} };
  const chat = createChat({ basePath: "/api/landing" }, callbacks);
  assert.ok(chat instanceof ChatClient);
});

test("Without an early guide (its module cannot load: here its collocated import is not in wwwroot/) the takeover wait resolves", async () => {
  await assert.doesNotReject(earlyQuestionsSettled());
});
