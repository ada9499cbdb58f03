// JSON shown as a collapsible tree (<details>/<summary>, so keyboard usable), and a panel around it with
// Copy and Download buttons. jsonTree(value) returns the tree; jsonPanel(title, value, fileName) the panel.

import { h } from "../ui.js";
import { copyText, downloadText } from "./pages-kit.js";

const shownChildren = 200;

function leaf(value) {
  if (value === null) return h("span", { class: "j-null" }, "null");
  switch (typeof value) {
    case "string": return h("span", { class: "j-string" }, JSON.stringify(value));
    case "number": return h("span", { class: "j-number" }, String(value));
    case "boolean": return h("span", { class: "j-bool" }, String(value));
    default: return h("span", {}, String(value));
  }
}

function node(key, value, depth) {
  const label = key === null ? null : h("span", { class: "j-key" }, `${key}: `);
  if (value === null || typeof value !== "object") return h("div", { class: "j-leaf" }, label, leaf(value));
  const entries = Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  const brackets = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (!entries.length) return h("div", { class: "j-leaf" }, label, h("span", { class: "j-punct" }, brackets.join("")));
  const summary = h("summary", {}, label,
    h("span", { class: "j-punct" }, `${brackets[0]} ${entries.length} ${Array.isArray(value) ? "item" : "key"}${entries.length === 1 ? "" : "s"} ${brackets[1]}`));
  const details = h("details", { class: "j-node", open: depth < 2 }, summary);
  const children = h("div", { class: "j-children" });
  let filled = false;
  const fill = () => {
    if (filled) return;
    filled = true;
    children.append(...entries.slice(0, shownChildren).map(([childKey, child]) => node(childKey, child, depth + 1)));
    if (entries.length > shownChildren) {
      children.append(h("div", { class: "j-leaf muted" }, `… ${entries.length - shownChildren} more (download the JSON to see them all)`));
    }
  };
  if (details.open) fill();
  details.addEventListener("toggle", () => { if (details.open) fill(); });
  details.append(children);
  return details;
}

/** The tree of `value`; the first two levels open, deeper ones built when opened. */
export function jsonTree(value) {
  return h("div", { class: "jtree" }, node(null, value, 0));
}

/** A titled panel with the tree of `value` and Copy / Download (as `fileName`) buttons. */
export function jsonPanel(title, value, fileName) {
  const text = () => JSON.stringify(value, null, 2);
  return h("section", { class: "json-panel", "aria-label": title },
    h("div", { class: "json-panel-head" },
      h("h4", {}, title),
      h("span", { class: "spacer" }),
      h("button", { type: "button", class: "small", "data-action": "copy-json", "aria-label": `Copy ${title}`,
        onclick: () => copyText(text(), title) }, "Copy"),
      h("button", { type: "button", class: "small", "data-action": "download-json", "aria-label": `Download ${title}`,
        onclick: () => downloadText(fileName, text()) }, "Download")),
    jsonTree(value));
}
