// A collapsible, keyboard-usable JSON tree (details/summary elements), plus copy and download helpers.
//
// `jsonTree(value, {open, firstIndex})` returns an element showing `value`; objects and arrays deeper
// than `open` levels start collapsed, and long arrays show their first 100 children with a "show more"
// button. A top-level array is numbered from `firstIndex` (a page of a longer list).
// `copyText(text)` copies to the clipboard (with a fallback for non-secure contexts) and resolves to
// whether it worked; `downloadJSON(value, fileName)` saves the value as a pretty-printed file.

import { h } from "../ui.js";

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

export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch { /* fall back below */ }
  const area = h("textarea", { style: "position:fixed;left:-9999px;top:0", "aria-hidden": "true" });
  area.value = text;
  document.body.append(area);
  area.select();
  let done = false;
  try { done = document.execCommand("copy"); } catch { done = false; }
  area.remove();
  return done;
}

export function downloadJSON(value, fileName) {
  const blob = new Blob([JSON.stringify(value, null, 2)], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: fileName, style: "display:none" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
