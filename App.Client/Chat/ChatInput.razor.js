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
