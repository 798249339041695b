// ChatInput.razor.js: Enter sends, Shift+Enter starts a new line (the textarea is inside
// `element`, in a form). Collocated with the component that uses it, as .NET's chat template does.

/** @returns {{dispose(): void}} */
export function sendOnEnter(element) {
  const onKeyDown = (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.target?.tagName !== "TEXTAREA") return;
    event.preventDefault();
    const form = event.target.closest("form");
    if (form?.requestSubmit) form.requestSubmit();
  };
  element.addEventListener("keydown", onKeyDown);
  return { dispose: () => element.removeEventListener("keydown", onKeyDown) };
}

/**
 * A link to the section holding this box ("Ask the tutor" → #tutor on a phone) puts the cursor in
 * it, not only the box on screen. Delegated from the document: the link is static markup.
 * @returns {{dispose(): void}}
 */
export function focusWhenLinkedTo(element, doc = globalThis.document) {
  const onClick = (event) => {
    const link = event.target?.closest?.('a[href^="#"]');
    const target = link && link.getAttribute("href").length > 1 ? doc.getElementById(link.getAttribute("href").slice(1)) : null;
    if (target?.contains(element)) element.querySelector("textarea")?.focus();
  };
  doc.addEventListener("click", onClick);
  return { dispose: () => doc.removeEventListener("click", onClick) };
}
