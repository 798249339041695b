// delivery-report.js: tells the server (POST /api/delivery/reports) that a stream was given up on.

import { linkAbort } from "./abortable-wait.js";
import { discardBody, resolveHeaders } from "./fetch-parts.js";

const DEFAULT_REPORT_URL = "/api/delivery/reports";
/** A report must never keep a finished job waiting on a slow server. */
const REPORT_TIMEOUT_MS = 10_000;
const REPORT_DETAIL_MAX = 500;

function describeFailure(error) {
  const status = error.status ? ` ${error.status}` : "";
  const reason = error.reason ? ` (${error.reason})` : "";
  return `${error.kind}${status}${reason}: ${error.message}`.slice(0, REPORT_DETAIL_MAX);
}

/** Best effort: never rejects, and gives up after a while so the job is not held back. */
export async function sendReport(job, mode, kind, error, options) {
  const controller = new AbortController();
  const unlink = linkAbort(options.signal, controller);
  const timer = setTimeout(() => controller.abort(), REPORT_TIMEOUT_MS);
  try {
    const headers = await resolveHeaders(options.headers);
    headers.set("Content-Type", "application/json");
    const response = await fetch(options.reportUrl ?? DEFAULT_REPORT_URL, {
      method: "POST",
      headers,
      body: JSON.stringify({ jobId: job.jobId, mode, kind, detail: describeFailure(error) }),
      credentials: "same-origin",
      signal: controller.signal,
    });
    await discardBody(response);
  } catch {
    // The server learns of failures from its own side too; a lost report is not worth an error.
  } finally {
    clearTimeout(timer);
    unlink();
  }
}
