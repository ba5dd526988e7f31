// Typing is never lost (issue #16, item 7): the editor's text boxes are committed to the
// server ~800 ms after the user stops typing, not only when they leave the box.
//
// Streamlit 1.67 sends a text box's value on blur or Ctrl+Enter only. This script, installed
// once in the app's page, listens for typing in the editor's boxes (their widget keys start
// with "ed.", so their containers carry the class "st-key-ed-…") and, once the user pauses,
// dispatches the Ctrl+Enter keydown Streamlit's own handler commits on: the box keeps its
// focus and caret, and the editor's on_change callback saves the text as a version. When the
// page is closed or hidden (tab or browser closed, lid shut) every pending box is committed at
// once: on beforeunload, while the connection to the server is still open.
// Boxes in a form are left alone (Ctrl+Enter would submit the form), as is text being
// composed by an input method (committed when the composition ends).
(() => {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  const win = doc.defaultView || window;
  if (win.__planAutosave) return;
  const IDLE_MS = __IDLE_MS__;
  const pending = new Set();
  const composing = new WeakSet();
  const editable = (el) =>
    el && el.closest && !el.disabled && !el.readOnly &&
    (el.tagName === "TEXTAREA" ||
      (el.tagName === "INPUT" && el.closest("[data-testid='stTextInputRootElement']"))) &&
    el.closest("[class*='st-key-ed-']") && !el.closest("[data-testid='stForm']");
  const commit = (el) => {
    clearTimeout(el.__planAutosaveTimer);
    pending.delete(el);
    if (!el.isConnected) return;
    el.dispatchEvent(new win.KeyboardEvent("keydown", {
      key: "Enter", code: "Enter", ctrlKey: true, bubbles: true, cancelable: true,
    }));
    doc.documentElement.dataset.planAutosaved = String(Date.now());
  };
  const later = (el) => {
    clearTimeout(el.__planAutosaveTimer);
    pending.add(el);
    el.__planAutosaveTimer = win.setTimeout(() => {
      if (composing.has(el)) later(el);
      else commit(el);
    }, IDLE_MS);
  };
  const flush = () => { for (const el of [...pending]) commit(el); };
  doc.addEventListener("input", (e) => { if (editable(e.target)) later(e.target); }, true);
  doc.addEventListener("compositionstart", (e) => { composing.add(e.target); }, true);
  doc.addEventListener("compositionend", (e) => {
    composing.delete(e.target);
    if (editable(e.target)) later(e.target);
  }, true);
  doc.addEventListener("visibilitychange", () => { if (doc.hidden) flush(); });
  win.addEventListener("beforeunload", flush);  // the socket is still open here
  win.addEventListener("pagehide", flush);
  win.__planAutosave = { flush, pending };
})();
