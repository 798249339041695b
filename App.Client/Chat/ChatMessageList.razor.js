// ChatMessageList.razor.js: keeps the conversation at its newest text while an answer grows, unless
// the reader scrolled up (then a "jump to latest" button appears), and copies code blocks (their Copy
// buttons are markup rendered from Markdown, which carries no Blazor events). Collocated with the
// component that uses it.

/** Within this distance of the end, the conversation keeps following new text. */
const SCROLL_STICK_PX = 48;
/** How long a Copy button says "Copied". */
const COPIED_MS = 2000;

/**
 * The list scrolls inside itself on wide screens; on phones it grows with the page (no scroll inside
 * a scroll), and then the page is what follows the text.
 */
function viewport(list, win) {
  const scrollsItself = () => win.getComputedStyle(list).overflowY !== "visible";
  return {
    distanceToEnd: () =>
      scrollsItself() ? list.scrollHeight - list.scrollTop - list.clientHeight : list.getBoundingClientRect().bottom - win.innerHeight,
    toEnd() {
      if (scrollsItself()) list.scrollTop = list.scrollHeight;
      else win.scrollBy(0, list.getBoundingClientRect().bottom - win.innerHeight);
    },
  };
}

/**
 * @param {HTMLElement} frame holds `.chat-messages` (the list) and `.chat-jump-latest` (the button);
 *   the button shows while `frame` has `data-behind`.
 * @returns {{dispose(): void}}
 */
export function followNewText(frame, win = globalThis) {
  const list = frame.querySelector(".chat-messages");
  const jump = frame.querySelector(".chat-jump-latest");
  const view = viewport(list, win);
  // A phone page opened at its top must not be pulled down to the conversation: follow only from the end.
  let stuck = view.distanceToEnd() < SCROLL_STICK_PX;
  const setBehind = (behind) => {
    if (behind) frame.setAttribute("data-behind", "");
    else frame.removeAttribute("data-behind");
  };
  const onScroll = () => {
    stuck = view.distanceToEnd() < SCROLL_STICK_PX;
    if (stuck) setBehind(false);
  };
  const observer = new win.MutationObserver(() => {
    if (stuck) view.toEnd();
    else setBehind(true);
  });
  const onJump = () => {
    view.toEnd();
    stuck = true;
    setBehind(false);
    // The button disappears: focus goes to the conversation rather than falling to the page.
    list.focus({ preventScroll: true });
  };
  const onClick = (event) => {
    const button = event.target?.closest?.(".chat-code-copy");
    if (button) copyCode(button, win);
  };
  list.addEventListener("scroll", onScroll, { passive: true });
  win.addEventListener("scroll", onScroll, { passive: true });
  jump?.addEventListener("click", onJump);
  frame.addEventListener("click", onClick);
  observer.observe(list, { childList: true, subtree: true, characterData: true });
  return {
    dispose() {
      observer.disconnect();
      list.removeEventListener("scroll", onScroll);
      win.removeEventListener("scroll", onScroll);
      jump?.removeEventListener("click", onJump);
      frame.removeEventListener("click", onClick);
    },
  };
}

/** Copies the code of a block; where the browser refuses, selects it so the reader can copy it. */
export async function copyCode(button, win = globalThis) {
  const code = button.closest(".chat-code")?.querySelector("code");
  if (!code) return;
  const label = button.getAttribute("aria-label");
  let said;
  try {
    await win.navigator.clipboard.writeText(code.textContent);
    said = "Copied";
  } catch {
    win.getSelection?.()?.selectAllChildren(code);
    said = "Selected: press Ctrl+C";
  }
  button.textContent = said;
  button.setAttribute("aria-label", said);
  win.setTimeout(() => {
    button.textContent = "Copy";
    button.setAttribute("aria-label", label);
  }, COPIED_MS);
}
