// chat-interop.js: the module the chat components import (ChatConnection.ModulePath).
//
// Every request of the HTTP contract is made in the browser, so both chatbots behave the same in
// every render mode (architecture.md, "Rule of the house"): .NET asks for a question to be
// enqueued, cancelled or retried, and is told what the delivery brings through a
// DotNetObjectReference. The pieces: chat-client.js (requests, deliveries, the session stream),
// outbox.js (ordered, batched callbacks), bearer-token.js (the tutor's token), contract-request.js.
import { ChatClient } from "./chat-client.js";

/**
 * @param {{basePath: string, useBearer?: boolean, antiforgeryToken?: string, tokenUrl?: string, flushIntervalMs?: number}} options
 * @param {{invokeMethodAsync(name: string, ...args: unknown[]): Promise<unknown>}} callbacks a DotNetObjectReference
 */
export function createChat(options, callbacks) {
  return new ChatClient(options, callbacks);
}

/**
 * The landing page's WebAssembly guide taking over: resolves once the questions the early guide is
 * still enqueueing have their jobs (early-guide.js, the module instance "/" already loaded).
 */
export async function earlyQuestionsSettled() {
  let earlyGuide;
  try {
    earlyGuide = await import("./early-guide.js");
  } catch {
    // The early guide could not load (blazor-start.js then starts Blazor without it): none of its
    // questions can be in flight, and the WebAssembly panel must still start.
    return;
  }
  await earlyGuide.earlyQuestionsSettled();
}
