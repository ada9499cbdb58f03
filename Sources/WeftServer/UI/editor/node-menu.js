// A node's menu (the ⋮ button on its card): a small popup menu, keyboard usable — arrow keys move,
// Enter activates, Escape or a click elsewhere closes and gives focus back to the button.
//
// `openMenu(button, items)` shows the menu next to `button`; items are `{label, action, danger?,
// testid?}`. Only one menu is open at a time; `closeMenu()` closes it.

import { h } from "../ui.js";

let open = null;

export function closeMenu({ restoreFocus = false } = {}) {
  if (!open) return;
  const { menu, button, cleanup } = open;
  open = null;
  cleanup();
  menu.remove();
  button.setAttribute("aria-expanded", "false");
  if (restoreFocus && button.isConnected) button.focus();
}

export function openMenu(button, items) {
  closeMenu();
  const entries = items.map((item) => h("button", {
    type: "button", role: "menuitem", class: `menu-item${item.danger ? " danger" : ""}`, tabindex: "-1",
    "data-testid": item.testid ?? null,
    onclick: () => { closeMenu({ restoreFocus: true }); item.action(); },
  }, item.label));
  const menu = h("div", { class: "node-menu", role: "menu", "aria-label": button.getAttribute("aria-label") ?? "Node menu", "data-testid": "node-menu" }, entries);
  document.body.append(menu);
  const rect = button.getBoundingClientRect();
  const width = menu.offsetWidth || 180;
  menu.style.left = `${Math.min(window.innerWidth - width - 8, rect.right - width + 8)}px`;
  menu.style.top = `${Math.min(window.innerHeight - menu.offsetHeight - 8, rect.bottom + 4)}px`;
  button.setAttribute("aria-expanded", "true");

  const focusAt = (index) => entries[(index + entries.length) % entries.length]?.focus();
  menu.addEventListener("keydown", (event) => {
    const index = entries.indexOf(document.activeElement);
    if (event.key === "ArrowDown") { event.preventDefault(); focusAt(index + 1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); focusAt(index - 1); }
    else if (event.key === "Home") { event.preventDefault(); focusAt(0); }
    else if (event.key === "End") { event.preventDefault(); focusAt(entries.length - 1); }
    else if (event.key === "Escape") { event.preventDefault(); event.stopPropagation(); closeMenu({ restoreFocus: true }); }
    else if (event.key === "Tab") { closeMenu({ restoreFocus: true }); }
  });
  const outside = (event) => { if (!menu.contains(event.target) && event.target !== button) closeMenu(); };
  setTimeout(() => document.addEventListener("pointerdown", outside), 0);
  open = { menu, button, cleanup: () => document.removeEventListener("pointerdown", outside) };
  focusAt(0);
}
