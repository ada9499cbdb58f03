// The "Explore nodes" palette: every node type from the catalog, grouped Trigger / AWS / Azure / GCP /
// General as the seed groups them, with a search box.
//
// `palette({nodeTypes, onAdd, isAvailable})` returns the element. Clicking an item (or Enter on it)
// calls `onAdd(type)`; items are also draggable onto the canvas (data type
// `application/x-weft-node-type`). `isAvailable(type)` may return a reason string when a type cannot
// be added now (the trigger, already present); the item is then disabled with that reason.

import { fill, h } from "../ui.js";
import { nodeIcon } from "./canvas.js";

export const GROUPS = ["Trigger", "AWS", "Azure", "GCP", "General"];

export function palette({ nodeTypes, onAdd, isAvailable = () => null }) {
  const search = h("input", {
    type: "search", id: "palette-search", placeholder: "Search nodes", autocomplete: "off",
    "aria-label": "Search nodes", "data-testid": "palette-search",
  });
  const list = h("div", { class: "palette-groups" });
  const element = h("aside", { class: "palette", id: "palette", "aria-label": "Explore nodes", "data-testid": "palette" },
    h("h2", {}, "Explore nodes"), search, list);

  function item(type) {
    const reason = isAvailable(type.type);
    const button = h("button", {
      type: "button", class: "palette-item", draggable: reason ? "false" : "true", disabled: Boolean(reason),
      title: reason ?? type.summary, "data-node-type": type.type, "data-testid": `palette-${type.type}`,
      onclick: () => onAdd(type.type),
    },
    h("span", { class: "node-icon", "aria-hidden": "true" }, nodeIcon(type.type)),
    h("span", { class: "palette-text" },
      h("span", { class: "palette-name" }, type.displayName ?? type.type),
      h("span", { class: "palette-summary" }, reason ?? type.summary ?? "")));
    button.addEventListener("dragstart", (event) => {
      event.dataTransfer.setData("application/x-weft-node-type", type.type);
      event.dataTransfer.effectAllowed = "copy";
    });
    return button;
  }

  function draw() {
    const query = search.value.trim().toLowerCase();
    const matches = (type) => !query || [type.type, type.displayName, type.summary, type.group]
      .some((text) => (text ?? "").toLowerCase().includes(query));
    fill(list, GROUPS.map((group) => {
      const all = nodeTypes.filter((type) => (type.group ?? "General") === group);
      const shown = all.filter(matches);
      if (query && !shown.length) return null;
      return h("section", { class: "palette-group", "aria-label": `${group} nodes`, "data-group": group },
        h("h3", {}, group === "Trigger" || group === "General" ? group : `${group} nodes`),
        shown.length ? shown.map(item) : h("p", { class: "muted palette-empty" }, all.length ? "no match" : "none yet"));
    }));
    if (query && !list.children.length) list.append(h("p", { class: "muted" }, "No node matches."));
  }

  search.addEventListener("input", draw);
  draw();
  return { element, refresh: draw, focus: () => search.focus() };
}
