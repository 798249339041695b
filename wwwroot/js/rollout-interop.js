// Glue between the admin rollout console (Blazor, Interactive Server) and the admin stream
// GET /api/admin/rollout/stream: the figures and changes reach the page over the HTTP contract,
// read by sse-client.js in the browser with the sign-in cookie, as every live datum is (see
// architecture.md), and are handed to the circuit through the DotNetObjectReference.
// No batching here, unlike the feed: the server sends at most one `stats` per 2 s and a `changed`
// only when an admin or the guard changes the rollout.
import { openEventStream } from "./sse-client.js";

/** Follows the admin stream until close(); returns { close() }. */
export function openRolloutStream(url, callbacks) {
  // A closed circuit rejects the call; the component is gone, and close() follows.
  const call = (method, ...args) => callbacks.invokeMethodAsync(method, ...args).catch(() => {});
  const stream = openEventStream(url, {
    onOpen: () => call("OnConnection", "live"),
    onEvent: (type, data) => {
      if (type === "stats") call("OnStats", data);
      else if (type === "changed") call("OnChanged", data);
    },
    onError: (error, meta) => call("OnConnection", meta?.willRetry ? "reconnecting" : "stopped"),
  });
  return { close: () => stream.close() };
}
