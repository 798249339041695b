// The façade: callers and docs/sse-client.md know only sse-client.js, so it must keep exporting
// exactly the contract's functions, each the one its own module implements.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as facade from "../../wwwroot/js/sse-client.js";
import { parseEventStream } from "../../wwwroot/js/event-stream-parser.js";
import { streamJob } from "../../wwwroot/js/job-stream.js";
import { pollJob } from "../../wwwroot/js/job-poll.js";
import { deliverJob } from "../../wwwroot/js/job-delivery.js";
import { openSession } from "../../wwwroot/js/session-stream.js";
import { openEventStream } from "../../wwwroot/js/named-event-stream.js";
import { openFeed } from "../../wwwroot/js/feed-stream.js";

test("sse-client.js exports the contract's seven functions and nothing else", () => {
  assert.deepEqual(Object.keys(facade).sort(), [
    "deliverJob",
    "openEventStream",
    "openFeed",
    "openSession",
    "parseEventStream",
    "pollJob",
    "streamJob",
  ]);
});

test("Each export of the façade is the function of its own module", () => {
  assert.equal(facade.parseEventStream, parseEventStream);
  assert.equal(facade.streamJob, streamJob);
  assert.equal(facade.pollJob, pollJob);
  assert.equal(facade.deliverJob, deliverJob);
  assert.equal(facade.openSession, openSession);
  assert.equal(facade.openEventStream, openEventStream);
  assert.equal(facade.openFeed, openFeed);
});
