// Helpers shared by the pages around the editor (flows, executions, runs, templates, connectors, users):
// the hash's query string, chips, a delete confirmation, exchange grants, and a row's action menu.
// Helpers the editor uses too (form dialogs, downloads, copying, statuses) are in ../ui.js.

import { dialog, h } from "../ui.js";

/** The query of the current hash (`#/flows?q=x` → URLSearchParams of `q=x`). */
export function hashQuery() {
  const hash = location.hash;
  const at = hash.indexOf("?");
  return new URLSearchParams(at >= 0 ? hash.slice(at + 1) : "");
}

/** Rewrites the current hash's query without reloading the page (no hashchange event). */
export function replaceHashQuery(values) {
  const path = location.hash.replace(/^#/, "").split("?")[0];
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) query.set(key, value);
  const text = query.toString();
  history.replaceState(null, "", `#${path}${text ? `?${text}` : ""}`);
}

/** Small labels for a list of words (categories, tags, regions). */
export function chips(words, kind = "pill") {
  return h("span", { class: "pills" }, (words ?? []).map((word) => h("span", { class: kind }, word)));
}

/** Asks "Delete <name>?", saying what follows (`consequence`); resolves to whether the user confirmed. */
export async function confirmDelete(name, consequence) {
  const answer = await dialog(`Delete ${name}?`, h("p", {}, consequence),
    [{ label: "Cancel", value: false }, { label: "Delete", value: true, class: "danger" }]);
  return answer === true;
}

/** Whether the user holds an exchange grant (export, import, clone): Managers and Admins by role. */
export function hasGrant(me, grant) {
  if (!me) return false;
  return me.role === "manager" || me.role === "admin" || (me.grants ?? []).includes(grant);
}

let menuCount = 0;

/**
 * A "More" button opening a menu of actions (a popover in the top layer, so tables do not clip it):
 * Escape or a click elsewhere closes it, arrow keys move between items, Enter runs one. `items` are
 * {label, action (data-action), onSelect, danger?}; null items are left out. `label` names the button
 * for assistive technology (e.g. "More actions for My flow").
 */
export function actionMenu(label, items, { text = "More ▾" } = {}) {
  const present = items.filter(Boolean);
  const id = `action-menu-${++menuCount}`;
  const menu = h("div", { id, class: "action-menu", popover: "auto", role: "menu", "aria-label": label });
  const trigger = h("button", { type: "button", class: "small menu-trigger", "aria-haspopup": "menu", "aria-expanded": "false",
    "aria-controls": id, "aria-label": label, "data-action": "menu" }, text);
  const buttons = present.map((item) => h("button", { type: "button", role: "menuitem", class: item.danger ? "danger" : "",
    "data-action": item.action, onclick: () => { menu.hidePopover(); item.onSelect(); } }, item.label));
  menu.append(...buttons);
  trigger.addEventListener("click", () => {
    if (menu.matches(":popover-open")) { menu.hidePopover(); return; }
    const box = trigger.getBoundingClientRect();
    menu.style.top = `${Math.round(box.bottom + 2)}px`;
    menu.style.left = `${Math.round(Math.max(8, box.right - 180))}px`;
    menu.showPopover();
    buttons[0]?.focus();
  });
  menu.addEventListener("toggle", (event) => {
    const open = event.newState === "open";
    trigger.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open && menu.contains(document.activeElement)) trigger.focus();
  });
  menu.addEventListener("keydown", (event) => {
    const at = buttons.indexOf(document.activeElement);
    if (event.key === "ArrowDown") { event.preventDefault(); buttons[(at + 1) % buttons.length]?.focus(); }
    if (event.key === "ArrowUp") { event.preventDefault(); buttons[(at - 1 + buttons.length) % buttons.length]?.focus(); }
    if (event.key === "Tab") menu.hidePopover();
  });
  return present.length ? h("span", { class: "menu-holder" }, trigger, menu) : null;
}
