// Small helpers shared by every page, the editor included: building elements (`h`, `fill`), toasts,
// dialogs (`dialog`, `formDialog` with `field`), clipboard and downloads, and how dates, durations,
// statuses and API errors are shown. Each export states its contract below.

/**
 * Builds an element: h("button", {class: "primary", onclick: fn}, "Save").
 * Attributes starting with "on" become listeners; `false`/`null` attributes are left out; children may
 * be strings, nodes, arrays or null.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name in element && typeof value !== "string") element[name] = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces the element's children the way `h` appends them (arrays flattened, null/undefined/false left
 * out, strings as text). When the focus was inside the element on a control with an id, the control
 * with that id among the new children gets it back (redrawn forms keep the keyboard user's place).
 * Returns the element.
 */
export function fill(element, ...children) {
  const nodes = [];
  const add = (child) => {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) child.forEach(add);
    else nodes.push(child instanceof Node ? child : document.createTextNode(String(child)));
  };
  children.forEach(add);
  const active = document.activeElement;
  const focusedId = active && active !== element && element.contains(active) ? active.id : "";
  element.replaceChildren(...nodes);
  if (focusedId && !element.contains(document.activeElement)) {
    element.querySelector(`#${CSS.escape(focusedId)}`)?.focus();
  }
  return element;
}

/** Shows a short message at the bottom of the screen; kind is "info", "success" or "error". */
export function toast(message, kind = "info") {
  const box = h("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status" }, message);
  document.getElementById("toasts").append(box);
  setTimeout(() => box.remove(), kind === "error" ? 8000 : 4000);
}

/** "2026-11-29 12:09:57" in the browser's time zone, or "—". */
export function formatDate(iso) {
  if (!iso) return "—";
  const date = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** "1.2 s", "340 ms" or "—" between two ISO dates. */
export function duration(startedAt, endedAt) {
  if (!startedAt || !endedAt) return "—";
  const ms = new Date(endedAt) - new Date(startedAt);
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A status as people read it: "success" → "Success"; none → "Never executed". */
export function statusLabel(status) {
  if (!status) return "Never executed";
  return status.charAt(0).toUpperCase() + status.slice(1);
}

/** Whether a run or execution status means it has not ended yet. */
export function isActive(status) {
  return status === "queued" || status === "running";
}

/** A short text for an error value from the API (a string, or {message, code, …}). */
export function errorText(error) {
  if (error === null || error === undefined) return "";
  if (typeof error === "string") return error;
  return error.message ?? error.code ?? JSON.stringify(error);
}

/** A coloured dot for a run or execution status: green succeeded, red failed, yellow running. */
export function statusDot(status, title) {
  return h("span", { class: `dot status-${status ?? "none"}`, title: title ?? status ?? "never run",
    role: "img", "aria-label": title ?? status ?? "never run" });
}

/** A modal dialog with a title, content and buttons; resolves to the value of the button pressed. */
export function dialog(title, content, buttons = [{ label: "Close", value: null }]) {
  return new Promise((resolve) => {
    const box = h("dialog", { class: "modal", "aria-label": title },
      h("h2", {}, title), h("div", { class: "modal-body" }, content),
      h("div", { class: "modal-actions" }, buttons.map((button) =>
        h("button", { type: "button", class: button.class ?? "", onclick: () => { box.close(); resolve(button.value); } },
          button.label))));
    box.addEventListener("close", () => { box.remove(); resolve(null); });
    document.body.append(box);
    box.showModal();
  });
}

/**
 * A modal form: `fields` (nodes) inside a <form> with a submit button and Cancel. On submit,
 * `onSubmit(form)` runs; when it throws, its message is shown in the dialog, which stays open; when it
 * resolves, the dialog closes and the promise resolves to its result (true when it returns nothing).
 * Cancel or Escape resolve to null. The first field takes the focus.
 */
export function formDialog(title, fields, { submitLabel = "Save", onSubmit, id, wide = false } = {}) {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value) => { if (!settled) { settled = true; resolve(value); } };
    const message = h("p", { class: "error form-error", role: "alert" });
    const submit = h("button", { type: "submit", class: "primary", "data-testid": "dialog-submit" }, submitLabel);
    const cancel = h("button", { type: "button", "data-testid": "dialog-cancel", onclick: () => box.close() }, "Cancel");
    const form = h("form", { class: "dialog-form" },
      h("div", { class: "modal-body" }, fields), message,
      h("div", { class: "modal-actions" }, cancel, submit));
    const box = h("dialog", { class: `modal${wide ? " wide" : ""}`, "aria-label": title, id: id ?? null },
      h("h2", {}, title), form);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      message.textContent = "";
      submit.disabled = true;
      try {
        const result = await onSubmit(form);
        finish(result ?? true);
        box.close();
      } catch (error) {
        message.textContent = error.message;
      } finally {
        submit.disabled = false;
      }
    });
    box.addEventListener("close", () => { box.remove(); finish(null); });
    document.body.append(box);
    box.showModal();
    form.querySelector("input:not([type=hidden]):not([disabled]), select, textarea")?.focus();
  });
}

/** A labelled form row: <label for=id>text</label> followed by `control` (which must carry that id) and a hint. */
export function field(text, control, hint) {
  return h("div", { class: "form-row" },
    h("label", { for: control.id }, text), control,
    hint ? h("p", { class: "hint muted", id: `${control.id}-hint` }, hint) : null);
}

/** Copies `text` to the clipboard (with a fallback where the Clipboard API is refused); resolves to whether it worked. */
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall back below */ }
  const area = h("textarea", { class: "offscreen", "aria-hidden": "true" });
  area.value = text;
  document.body.append(area);
  area.select();
  let done = false;
  try { done = document.execCommand("copy"); } catch { done = false; }
  area.remove();
  return done;
}

/** Saves `text` as a file named `name` through a temporary object URL. */
export function downloadText(name, text, type = "application/json") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Runs an async action and shows its error, if any, as a toast; returns the action's result or undefined. */
export async function attempt(action) {
  try { return await action(); } catch (error) { toast(error.message, "error"); return undefined; }
}
