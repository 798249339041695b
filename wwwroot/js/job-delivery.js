// job-delivery.js: one enqueued job delivered by its mode (sse, hybrid, polling), falling back to
// polling so the answer arrives whatever happens to the stream.

import { isStreamProblem, throwIfAborted } from "./delivery-errors.js";
import { pollJob, pollOptionsFrom } from "./job-poll.js";
import { streamJob } from "./job-stream.js";
import { streamBreaker } from "./stream-breaker.js";
import { sendReport } from "./delivery-report.js";

/**
 * Delivers one enqueued job by its delivery mode, falling back to polling so that the answer
 * arrives whatever happens to the stream.
 *
 * - "sse": streams; if the stream is given up on (network, or 5xx/429 outlasting `maxRetries`)
 *   reports `stream_error` once, then polls.
 * - "hybrid": streams with no reconnection; the first stream problem (network, 5xx or 429,
 *   heartbeat silence) reports `fallback` once and polls. After 3 stream failures within 5
 *   minutes (kept in localStorage) hybrid goes straight to polling for 10 minutes.
 * - "polling": polls.
 * In every mode `delivery-disabled` (the kill switch) switches to polling without a report, and
 * a server `timeout` event resumes the stream from its last event id.
 *
 * @param {{jobId: string, sessionId?: string, delivery?: "sse" | "hybrid" | "polling", streamUrl: string, pollUrl: string}} job
 *   the 202 body of an enqueue
 * @param {object} [options] everything `streamJob` and `pollJob` accept, plus:
 * @param {"sse" | "hybrid" | "polling"} [options.mode] overrides `job.delivery`
 * @param {string} [options.reportUrl="/api/delivery/reports"]
 * @param {number} [options.pollMaxRetries] `pollJob`'s `maxRetries`
 * @returns {Promise<object>} the job's result; rejects like `streamJob`
 */
export async function deliverJob(job, options = {}) {
  throwIfAborted(options.signal);
  const mode = options.mode ?? job.delivery ?? "sse";
  const poll = () => pollJob(job.pollUrl, pollOptionsFrom(options));
  if (mode === "polling" || !job.streamUrl) return poll();
  const breaker = streamBreaker(options.now ?? Date.now);
  if (mode === "hybrid" && breaker.isOpen()) return poll();

  let lastEventId = options.lastEventId;
  for (;;) {
    try {
      return await streamJob(job.streamUrl, {
        ...options,
        lastEventId,
        pollUrl: job.pollUrl,
        maxRetries: mode === "hybrid" ? 0 : options.maxRetries,
      });
    } catch (error) {
      if (error.kind === "timeout") {
        lastEventId = error.lastEventId;
        continue;
      }
      // The server switched streaming off and already knows; a report would only add noise.
      if (error.kind === "delivery-disabled") return poll();
      if (!isStreamProblem(error)) throw error;
      // The breaker measures whether this browser can hold a stream, whichever mode saw it fail.
      breaker.recordFailure();
      const kind = mode === "hybrid" ? "fallback" : "stream_error";
      const report = sendReport(job, mode, kind, error, options);
      try {
        return await poll();
      } finally {
        await report;
      }
    }
  }
}
