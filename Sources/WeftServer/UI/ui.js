// Small DOM helpers shared by every page.

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

/** Runs an async action and shows its error, if any, as a toast; returns the action's result or undefined. */
export async function attempt(action) {
  try { return await action(); } catch (error) { toast(error.message, "error"); return undefined; }
}
