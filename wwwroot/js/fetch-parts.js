// fetch-parts.js: the small pieces every request of the delivery module shares.

export async function resolveHeaders(option) {
  const value = typeof option === "function" ? await option() : option;
  return new Headers(value ?? {});
}

export function parseData(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function discardBody(response) {
  try {
    await response.body?.cancel();
  } catch {
    // The body is unwanted; failing to discard it changes nothing.
  }
}
