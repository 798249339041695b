// sse-client.js: delivers job results, chat-session updates and the live feed to the browser.
//
// The façade of the delivery module: its public functions (the contract in docs/sse-client.md),
// each implemented in a module with one purpose. Every module runs unchanged in browsers and in
// Node 20+ (where the tests live): only fetch, ReadableStream, TextDecoder, AbortController,
// timers, and localStorage where one exists. No build step: browsers load the imports as they are.
//
// Page visibility is deliberately ignored: closing a stream when a tab is hidden and re-opening
// it when it is shown would re-request work and waste the connection (see sse-client.md).
export { parseEventStream } from "./event-stream-parser.js";
export { streamJob } from "./job-stream.js";
export { pollJob } from "./job-poll.js";
export { deliverJob } from "./job-delivery.js";
export { openSession } from "./session-stream.js";
export { openEventStream } from "./named-event-stream.js";
export { openFeed } from "./feed-stream.js";
