// JSON shown as a collapsible, keyboard-usable tree (<details>/<summary>), and Copy / Download buttons for
// a JSON value. Shared by the editor's step details and the run page (through step-view.js).
//
// `jsonTree(value, {open, label, firstIndex})` returns an element showing `value`; objects and arrays
// `open` levels deep or deeper start collapsed (default 2) and are built when opened; long arrays show
// their first 100 children with a "show more" button. A top-level array is numbered from `firstIndex`
// (a page of a longer list). `label` names the tree for assistive technology.
// `jsonActions(label, fileName, value)` returns the two buttons (`data-action` copy-json and
// download-json); `value()` may be async and is asked for on each click (e.g. every page of an output).

import { copyText, downloadText, h, toast } from "./ui.js";

const CHUNK = 100;

function primitive(value) {
  const kind = value === null ? "null" : typeof value;
  return h("span", { class: `json-${kind}` }, kind === "string" ? JSON.stringify(value) : String(value));
}

function node(key, value, depth, open, firstIndex = 0) {
  const label = key === null ? null : h("span", { class: "json-key" }, `${key}: `);
  if (value === null || typeof value !== "object") {
    return h("div", { class: "json-leaf" }, label, primitive(value));
  }
  const isArray = Array.isArray(value);
  const entries = isArray ? value.map((item, index) => [firstIndex + index, item]) : Object.entries(value);
  const summaryText = isArray ? `[…] ${entries.length} item${entries.length === 1 ? "" : "s"}`
    : `{…} ${entries.length} key${entries.length === 1 ? "" : "s"}`;
  if (!entries.length) return h("div", { class: "json-leaf" }, label, h("span", { class: "json-empty" }, isArray ? "[]" : "{}"));
  const details = h("details", { class: "json-node", open: depth < open },
    h("summary", {}, label, h("span", { class: "json-summary" }, summaryText)));
  const body = h("div", { class: "json-children" });
  details.append(body);
  let shown = 0;
  const more = () => {
    const next = entries.slice(shown, shown + CHUNK);
    shown += next.length;
    body.querySelector(":scope > .json-more")?.remove();
    body.append(...next.map(([childKey, child]) => node(childKey, child, depth + 1, open)));
    if (shown < entries.length) {
      body.append(h("button", { type: "button", class: "json-more link", onclick: more },
        `Show ${Math.min(CHUNK, entries.length - shown)} more of ${entries.length - shown}`));
    }
  };
  const fill = () => { if (!shown) more(); };
  if (details.open) fill();
  details.addEventListener("toggle", fill);
  return details;
}

export function jsonTree(value, { open = 2, label = "JSON", firstIndex = 0 } = {}) {
  return h("div", { class: "json-tree", role: "group", "aria-label": label }, node(null, value, 0, open, firstIndex));
}

export function jsonActions(label, fileName, value) {
  const text = async () => JSON.stringify(await value(), null, 2);
  return h("span", { class: "json-actions" },
    h("button", { type: "button", class: "small", "aria-label": `Copy ${label} as JSON`, "data-action": "copy-json",
      onclick: async () => {
        const copied = await copyText(await text());
        toast(copied ? `${label} copied to the clipboard` : "Could not copy", copied ? "success" : "error");
      } }, "Copy"),
    h("button", { type: "button", class: "small", "aria-label": `Download ${label} as a JSON file`, "data-action": "download-json",
      onclick: async () => downloadText(fileName, await text()) }, "Download"));
}
