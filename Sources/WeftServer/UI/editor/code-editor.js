// A JavaScript editor with syntax highlighting: Debian's CodeMirror 5 served at /vendor/codemirror/,
// loaded once as classic scripts (the CSP allows same-origin scripts), over a plain textarea that
// stays the fallback when CodeMirror cannot load.
//
// `codeEditor({id, value, label, readOnly, onChange})` returns an element at once; the textarea is
// upgraded when CodeMirror has loaded and the element is in the document. `onChange(text)` is called
// on every edit.

import { h } from "../ui.js";

const BASE = "/vendor/codemirror";
let loading = null;

function script(src) {
  return new Promise((resolve, reject) => {
    const element = document.createElement("script");
    element.src = src;
    element.addEventListener("load", resolve);
    element.addEventListener("error", () => reject(new Error(`could not load ${src}`)));
    document.head.append(element);
  });
}

/** Loads CodeMirror and its JavaScript mode once; resolves to window.CodeMirror or null. */
export function loadCodeMirror() {
  if (!loading) {
    loading = (async () => {
      if (!document.querySelector(`link[href="${BASE}/lib/codemirror.css"]`)) {
        document.head.append(h("link", { rel: "stylesheet", href: `${BASE}/lib/codemirror.css` }));
      }
      await script(`${BASE}/lib/codemirror.js`);
      await Promise.all([
        script(`${BASE}/mode/javascript/javascript.js`),
        script(`${BASE}/addon/edit/matchbrackets.js`),
        script(`${BASE}/addon/edit/closebrackets.js`),
      ]);
      return window.CodeMirror ?? null;
    })().catch(() => null);
  }
  return loading;
}

export function codeEditor({ id, value = "", label = "Code", readOnly = false, onChange = () => {} }) {
  const textarea = h("textarea", {
    id, class: "code-textarea", rows: "10", spellcheck: "false", "aria-label": label, readOnly,
    "data-testid": "code-editor",
  });
  textarea.value = value ?? "";
  textarea.addEventListener("input", () => onChange(textarea.value));
  const element = h("div", { class: "code-editor" }, textarea);

  loadCodeMirror().then((CodeMirror) => {
    if (!CodeMirror) return;
    const upgrade = () => {
      if (!textarea.isConnected) {
        if (element.dataset.upgradeTries === "100") return;
        element.dataset.upgradeTries = String(Number(element.dataset.upgradeTries ?? 0) + 1);
        setTimeout(upgrade, 50);
        return;
      }
      const editor = CodeMirror.fromTextArea(textarea, {
        mode: "javascript", lineNumbers: true, lineWrapping: true, matchBrackets: true, autoCloseBrackets: true, indentUnit: 2,
        tabSize: 2, readOnly, screenReaderLabel: label, viewportMargin: Infinity,
        extraKeys: { Tab: false, "Shift-Tab": false },
      });
      editor.on("change", () => {
        editor.save();
        onChange(editor.getValue());
      });
      element.classList.add("highlighted");
      element.codeMirror = editor;
      setTimeout(() => editor.refresh(), 0);
    };
    upgrade();
  });
  return element;
}
