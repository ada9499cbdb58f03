// Helpers shared by the pages around the editor (flows, executions, runs, templates, connectors, users):
// form dialogs, file downloads, the hash's query string, chips, copying text, and what the user may do.

import { h, toast } from "../ui.js";

/**
 * A modal form: `fields` (nodes) inside a <form> with a submit button and Cancel. On submit,
 * `onSubmit(form)` runs; when it throws, its message is shown in the dialog, which stays open; when it
 * resolves, the dialog closes and the promise resolves to its result. Cancel or Escape resolve to null.
 */
export function formDialog(title, fields, { submitLabel = "Save", onSubmit, id, wide = false } = {}) {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value) => { if (!settled) { settled = true; resolve(value); } };
    const message = h("p", { class: "error form-error", role: "alert" });
    const submit = h("button", { type: "submit", class: "primary", "data-testid": "dialog-submit" }, submitLabel);
    const cancel = h("button", { type: "button", "data-testid": "dialog-cancel", onclick: () => box.close() }, "Cancel");
    const form = h("form", { class: "dialog-form", novalidate: false },
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

/** A labelled field: <label for=id>text</label> followed by `control` (which must carry that id). */
export function field(text, control, hint) {
  return h("div", { class: "form-row" },
    h("label", { for: control.id }, text), control,
    hint ? h("p", { class: "hint muted", id: `${control.id}-hint` }, hint) : null);
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

/** Copies `text` to the clipboard and says so in a toast. */
export async function copyText(text, what = "JSON") {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = h("textarea", { class: "offscreen", "aria-hidden": "true" }, text);
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  toast(`${what} copied to the clipboard`, "success");
}

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

/** Whether the user holds an exchange grant (export, import, clone): Managers and Admins by role. */
export function hasGrant(me, grant) {
  if (!me) return false;
  return me.role === "manager" || me.role === "admin" || (me.grants ?? []).includes(grant);
}

/**
 * What the user may do with one flow (a Set of read, edit, delete, run, deploy), from the roles table
 * of GET /api/v1/roles: own flows, flows carrying one of the user's tags, other flows. Without the table,
 * falls back to the role's general abilities (`context.can`).
 */
export function flowAbilities(flow, context, roles) {
  const me = context.me;
  const entry = roles?.find((role) => role.role === me?.role);
  if (!entry) {
    const abilities = new Set(["read"]);
    if (context.can("editFlows")) { abilities.add("edit"); abilities.add("delete"); }
    if (context.can("runFlows")) abilities.add("run");
    if (context.can("deployFlows")) abilities.add("deploy");
    return abilities;
  }
  const abilities = new Set(entry.onOtherFlows ?? []);
  if (flow.owner && flow.owner === me.id) for (const action of entry.onOwnFlows ?? []) abilities.add(action);
  if ((flow.tags ?? []).some((tag) => (me.tags ?? []).includes(tag))) {
    for (const action of entry.onFlowsWithTheirTags ?? []) abilities.add(action);
  }
  return abilities;
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

/** A status as people read it: "success" → "Success". */
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

/** Replaces `element`'s children with `children` (nodes, strings, nested arrays; null and false left out). */
export function fill(element, ...children) {
  element.replaceChildren(...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false));
  return element;
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
