// Glue between an admin page (Blazor, Interactive Server) and its admin stream: the rollout console
// follows GET /api/admin/rollout/stream (`stats`, `changed`), the operations dashboard
// GET /api/admin/jobs/stream (`snapshot`). The events reach the page over the HTTP contract, read by
// sse-client.js in the browser with the sign-in cookie (reconnecting with back-off), as every live
// datum is (see architecture.md), and are handed to the circuit through the DotNetObjectReference.
// No batching, unlike the feed: both servers send at most one event per second or two.
import { openEventStream } from "./sse-client.js";

/**
 * Follows an admin stream until close(), handing .NET the events of the named types only (the others
 * need not cross the circuit) and the connection's state ("live", "reconnecting", "stopped").
 * @param {string} url
 * @param {string[]} eventTypes
 * @param {{invokeMethodAsync(name: string, ...args: unknown[]): Promise<unknown>}} callbacks
 * @returns {{close(): void}}
 */
export function openAdminStream(url, eventTypes, callbacks) {
  const wanted = new Set(eventTypes);
  // A closed circuit rejects the call; the component is gone, and close() follows.
  const call = (method, ...args) => callbacks.invokeMethodAsync(method, ...args).catch(() => {});
  const stream = openEventStream(url, {
    onOpen: () => call("OnConnection", "live"),
    onEvent: (type, data) => {
      if (wanted.has(type)) call("OnEvent", type, data);
    },
    onError: (error, meta) => call("OnConnection", meta?.willRetry ? "reconnecting" : "stopped"),
  });
  return { close: () => stream.close() };
}
