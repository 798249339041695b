// contract-request.js: one JSON request of the HTTP contract (docs/api.md), as the chat makes it.

/** Whether the browser says it has a network (Node, where the tests run, always has one). */
export function isOnline() {
  return typeof navigator === "undefined" || navigator.onLine !== false;
}

async function readJson(response) {
  try {
    const text = await response.text();
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sends one request and never throws: resolves `{ ok, status, data }` or
 * `{ ok: false, status, title, detail, offline, retryAfter }` (status 0 when the server was not
 * reached), the shape .NET reads as `ApiOutcome<T>`. With a `token`, a 401 renews it and tries once
 * more: the cached token may have expired between two requests.
 *
 * @param {string} url
 * @param {{method: string, body?: unknown, headers?: Record<string, string | undefined>, authorize: () => Promise<HeadersInit>, token?: {invalidate(): void}}} request
 */
export async function requestJson(url, { method, body, headers = {}, authorize, token }) {
  for (let attempt = 0; ; attempt++) {
    let response;
    try {
      const sent = new Headers(await authorize());
      sent.set("Accept", "application/json");
      for (const [name, value] of Object.entries(headers)) if (value) sent.set(name, value);
      if (body !== undefined) sent.set("Content-Type", "application/json");
      response = await fetch(url, {
        method,
        headers: sent,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch (error) {
      const status = error?.kind === "auth" ? error.status : 0;
      return { ok: false, status, title: error?.message ?? "The request failed.", detail: null, offline: !isOnline(), retryAfter: null, data: null };
    }
    if (response.status === 401 && token && attempt === 0) {
      await readJson(response);
      token.invalidate();
      continue;
    }
    const data = await readJson(response);
    if (response.ok) return { ok: true, status: response.status, data: data ?? null };
    return {
      ok: false,
      status: response.status,
      title: data?.title ?? `HTTP ${response.status}`,
      detail: data?.detail ?? null,
      offline: false,
      retryAfter: response.headers.get("Retry-After"),
      data: null,
    };
  }
}
