// bearer-token.js: the course tutor's bearer token, obtained from POST /api/auth/token with the
// page's antiforgery token; it travels only in the Authorization header, never in a URL.

/** Renew a bearer token this long before it expires, so a request never leaves with a dying one. */
const TOKEN_RENEW_MARGIN_MS = 60_000;

export class BearerToken {
  #url;
  #antiforgeryToken;
  #value;
  #expiresAt = 0;
  #pending;

  constructor(url, antiforgeryToken) {
    this.#url = url;
    this.#antiforgeryToken = antiforgeryToken ?? "";
  }

  /** After `reauthenticate` or a 401: the next request fetches a fresh token. */
  invalidate() {
    this.#value = undefined;
    this.#expiresAt = 0;
  }

  /** Asks the server afresh: false once the sign-in cookie no longer gives a token (signed out). */
  async stillSignedIn() {
    this.invalidate();
    try {
      await this.get();
      return true;
    } catch (error) {
      return error.kind !== "auth"; // offline or a network error says nothing about the sign-in
    }
  }

  async get() {
    if (this.#value && Date.now() < this.#expiresAt - TOKEN_RENEW_MARGIN_MS) return this.#value;
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #fetch() {
    // The cookie says who the learner is; the antiforgery token proves this page asked.
    const response = await fetch(this.#url, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json", RequestVerificationToken: this.#antiforgeryToken },
    });
    if (!response.ok) {
      const error = new Error(`The sign-in token could not be renewed (HTTP ${response.status}).`);
      error.kind = "auth";
      error.status = response.status;
      throw error;
    }
    const body = await response.json();
    this.#value = body.accessToken;
    this.#expiresAt = Date.now() + Number(body.expiresIn ?? 0) * 1000;
    return this.#value;
  }
}
