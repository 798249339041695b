// sign-out-sync.js: signing out in one tab signs the tutor's other tabs out too. Cookies are shared
// by every tab, but a tab already open keeps showing the learner as signed in (and its bearer token
// works until the security-stamp check catches it), so the tab that signs out tells the others.

const CHANNEL = "blazorjobs-auth";
const SIGNED_OUT = "signed-out";
const LOGOUT_FORM = 'form[action="/Account/Logout"]';

/**
 * Tells the other tabs when this one submits the sign-out form, and, told by another tab, waits until
 * the server has really signed the learner out (the message leaves before the sign-out request ends)
 * and then calls `onSignedOut` (by default: reload, so the page shows the signed-out state).
 *
 * @param {{stillSignedIn: () => Promise<boolean>, onSignedOut?: () => void, win?: any, retryMs?: number, tries?: number}} options
 * @returns {{dispose(): void}}
 */
export function followSignOut({ stillSignedIn, onSignedOut, win = globalThis, retryMs = 500, tries = 20 }) {
  if (typeof win.BroadcastChannel !== "function") return { dispose() {} };
  const signedOut = onSignedOut ?? (() => win.location.reload());
  const channel = new win.BroadcastChannel(CHANNEL);
  let checking = false;
  let disposed = false;

  const onMessage = async (event) => {
    if (event.data !== SIGNED_OUT || checking) return;
    checking = true;
    try {
      for (let attempt = 0; attempt < tries && !disposed; attempt += 1) {
        if (!(await stillSignedIn())) {
          if (!disposed) signedOut();
          return;
        }
        await new Promise((resolve) => win.setTimeout(resolve, retryMs));
      }
    } finally {
      checking = false;
    }
  };
  const onSubmit = (event) => {
    if (event.target?.matches?.(LOGOUT_FORM)) channel.postMessage(SIGNED_OUT);
  };
  channel.addEventListener("message", onMessage);
  win.document?.addEventListener("submit", onSubmit, true);
  return {
    dispose() {
      disposed = true;
      channel.removeEventListener("message", onMessage);
      win.document?.removeEventListener("submit", onSubmit, true);
      channel.close();
    },
  };
}
