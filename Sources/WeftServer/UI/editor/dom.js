// A DOM helper the editor modules share (ui.js is not the editor's to change).
//
// `fill(element, ...children)` replaces the element's children the way ui.js's `h` appends them:
// arrays are flattened, null/undefined/false are left out, strings become text. When the focus was
// inside the element on a control with an id, the control with that id in the new children gets it
// back (redrawn forms keep the keyboard user's place). Returns the element.

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
