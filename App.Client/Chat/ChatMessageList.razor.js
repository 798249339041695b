// ChatMessageList.razor.js: keeps the message list scrolled to its end while new text arrives,
// unless the reader scrolled up. Collocated with the component that uses it.

/** Within this distance of the end, the list keeps following new text. */
const SCROLL_STICK_PX = 48;

/** @returns {{dispose(): void}} */
export function followNewText(element) {
  let stuck = true;
  const onScroll = () => {
    stuck = element.scrollHeight - element.scrollTop - element.clientHeight < SCROLL_STICK_PX;
  };
  const observer = new MutationObserver(() => {
    if (stuck) element.scrollTop = element.scrollHeight;
  });
  element.addEventListener("scroll", onScroll, { passive: true });
  observer.observe(element, { childList: true, subtree: true, characterData: true });
  return {
    dispose() {
      observer.disconnect();
      element.removeEventListener("scroll", onScroll);
    },
  };
}
