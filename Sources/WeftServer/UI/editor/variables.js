// The variables panel: the flow's variables (SPEC 2.1) `{name, type: auto|array|object|string, value,
// secret}`, with Append, Insert (above a row), Duplicate and Remove, as in the seed.
//
// `variablesPanel({model, readOnly})` returns the element; edits go to the model
// (`setDocumentFields({variables}, "variables")`). Values are typed by the variable's type: string is
// kept as text, array and object must be JSON of that kind, auto reads JSON literals and keeps
// anything else as text.

import { fill, h } from "../ui.js";
import { clone } from "./model.js";

const TYPES = ["auto", "array", "object", "string"];

function parse(type, text) {
  if (type === "string") return { value: text };
  const trimmed = text.trim();
  if (type === "auto") {
    if (!trimmed) return { value: "" };
    try { return { value: JSON.parse(trimmed) }; } catch { return { value: text }; }
  }
  if (!trimmed) return { value: type === "array" ? [] : {} };
  try {
    const value = JSON.parse(trimmed);
    if (type === "array" && !Array.isArray(value)) return { error: "must be a JSON array, e.g. [\"10.0.0.0/8\"]" };
    if (type === "object" && (value === null || typeof value !== "object" || Array.isArray(value))) return { error: "must be a JSON object, e.g. {\"key\": \"value\"}" };
    return { value };
  } catch (error) {
    return { error: `is not valid JSON (${error.message})` };
  }
}

function show(type, value) {
  if (type === "string" && typeof value === "string") return value;
  if (value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

export function variablesPanel({ model, readOnly = false }) {
  const element = h("section", { class: "variables-panel", "aria-labelledby": "variables-title", "data-testid": "variables-panel" });
  let variables = clone(model.doc.variables ?? []);
  const commit = () => model.setDocumentFields({ variables: clone(variables) }, "variables");

  function uniqueName(base) {
    const taken = new Set(variables.map((variable) => variable.name));
    if (!taken.has(base)) return base;
    for (let n = 2; ; n += 1) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
  }

  function row(variable, index) {
    const prefix = `var-${index}`;
    const error = h("small", { class: "error", role: "alert" });
    const valueControl = h(variable.type === "array" || variable.type === "object" ? "textarea" : "input", {
      id: `${prefix}-value`, class: "mono", disabled: readOnly, rows: "2", autocomplete: "off", "data-testid": "variable-value",
      type: variable.secret && variable.type === "string" ? "password" : null,
    });
    valueControl.value = show(variable.type, variable.value);
    valueControl.addEventListener("input", () => {
      const parsed = parse(variable.type, valueControl.value);
      if (parsed.error) {
        valueControl.setAttribute("aria-invalid", "true");
        error.textContent = `${variable.name || "The value"} ${parsed.error}`;
        return;
      }
      valueControl.removeAttribute("aria-invalid");
      error.textContent = "";
      variable.value = parsed.value;
      commit();
    });
    const nameInput = h("input", { id: `${prefix}-name`, value: variable.name, disabled: readOnly, autocomplete: "off", class: "mono",
      "data-testid": "variable-name", pattern: "[A-Za-z0-9_]+",
      oninput: () => { variable.name = nameInput.value.trim(); commit(); } });
    const typeSelect = h("select", { id: `${prefix}-type`, disabled: readOnly, "data-testid": "variable-type",
      onchange: () => {
        variable.type = typeSelect.value;
        const parsed = parse(variable.type, show(variable.type, variable.value));
        variable.value = parsed.error ? (variable.type === "array" ? [] : variable.type === "object" ? {} : String(variable.value ?? "")) : parsed.value;
        commit();
        draw();
      } },
    TYPES.map((type) => h("option", { value: type, selected: variable.type === type }, type)));
    const secret = h("input", { type: "checkbox", id: `${prefix}-secret`, checked: Boolean(variable.secret), disabled: readOnly,
      onchange: () => { if (secret.checked) variable.secret = true; else delete variable.secret; commit(); draw(); } });
    const act = (label, action, extra = {}) => h("button", { type: "button", class: "small", "aria-label": `${label} variable ${variable.name || index + 1}`,
      onclick: () => { action(); commit(); draw(); }, ...extra }, label);
    return h("fieldset", { class: "variable-row", "data-testid": "variable-row", "data-pointer": `/variables/${index}` },
      h("legend", { class: "visually-hidden" }, `Variable ${index + 1}`),
      h("div", { class: "field" }, h("label", { for: nameInput.id }, "Name"), nameInput),
      h("div", { class: "field" }, h("label", { for: typeSelect.id }, "Type"), typeSelect),
      h("div", { class: "field grow" }, h("label", { for: valueControl.id }, "Value"), valueControl, error),
      h("div", { class: "field check" }, secret, h("label", { for: secret.id }, "Secret")),
      readOnly ? null : h("div", { class: "row-actions" },
        act("Insert", () => variables.splice(index, 0, { name: uniqueName("variable"), type: "auto", value: "" })),
        act("Duplicate", () => variables.splice(index + 1, 0, { ...clone(variable), name: uniqueName(variable.name || "variable") })),
        act("Remove", () => variables.splice(index, 1), { class: "small danger" })));
  }

  function draw() {
    fill(element,
      h("h2", { id: "variables-title" }, "Variables"),
      h("p", { class: "muted" }, "Use a variable anywhere as $wf.variables:name or {{ $wf.variables.name }}; a run may override it."),
      variables.length ? variables.map(row) : h("p", { class: "muted" }, "No variables yet."),
      readOnly ? null : h("button", { type: "button", "data-testid": "append-variable",
        onclick: () => {
          variables.push({ name: uniqueName("variable"), type: "auto", value: "" });
          commit();
          draw();
          element.querySelector(".variable-row:last-of-type input")?.focus();
        } }, "+ Append variable"));
  }

  draw();
  return element;
}
