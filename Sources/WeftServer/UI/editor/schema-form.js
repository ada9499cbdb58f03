// One form generator for every node type: a form built from the type's `parameters` JSON Schema
// (type, title, description, default, enum, minimum/maximum, nested objects, arrays) and its
// `x-weft-editor` hints (`input`, `conditions`, `javascript`, `json`, `jsonPath`, `template`, `node`).
//
// `schemaForm({schema, value, onChange, idPrefix, readOnly, skip, env})` edits `value` (an object, e.g.
// a node's params) in place and calls `onChange()` after every edit. Keys in `skip` are left out (a
// caller renders them itself). Unset optional fields stay unset: defaults are shown, not written.
// Each field's wrapper carries `data-pointer` (its JSON pointer inside `value`) so callers can mark
// validation issues. `env` = {model, nodeId, keySuggestions: string[], conditionTypes} serves the input
// and node pickers, the JSONPath suggestions and the condition builder (`conditionTypes`: the catalog's).

import { h } from "../ui.js";
import { codeEditor } from "./code-editor.js";
import { conditionBuilder } from "./conditions.js";

export function getAt(root, path) {
  return path.reduce((value, key) => (value == null ? undefined : value[key]), root);
}

/** Sets `value` at `path`, creating objects on the way; `undefined` removes the key. */
export function setAt(root, path, value) {
  if (value === undefined) return removeAt(root, path);
  let target = root;
  path.slice(0, -1).forEach((key, index) => {
    if (target[key] === null || typeof target[key] !== "object") target[key] = typeof path[index + 1] === "number" ? [] : {};
    target = target[key];
  });
  target[path[path.length - 1]] = value;
}

/** Removes the key at `path`, and the objects it leaves empty (never `root`). */
export function removeAt(root, path) {
  const parents = [root];
  for (const key of path.slice(0, -1)) {
    const next = parents[parents.length - 1]?.[key];
    if (next === null || typeof next !== "object") return;
    parents.push(next);
  }
  const last = parents[parents.length - 1];
  if (Array.isArray(last)) last.splice(path[path.length - 1], 1); else delete last[path[path.length - 1]];
  for (let index = parents.length - 1; index > 0; index -= 1) {
    const object = parents[index];
    if (!Array.isArray(object) && Object.keys(object).length === 0) delete parents[index - 1][path[index - 1]];
    else break;
  }
}

function title(schema, key) {
  if (schema.title) return schema.title;
  return String(key).replace(/([a-z])([A-Z])/g, "$1 $2").replace(/^./, (c) => c.toUpperCase());
}

function fieldId(prefix, path) {
  return `${prefix}-${path.join("-")}`.replace(/[^A-Za-z0-9_-]/g, "_");
}

function pointer(path) {
  return "/" + path.map((key) => String(key).replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

/** `Name.Path` as the seed shows references: the node's name and the JSONPath without its `$.`. */
export function referenceLabel(name, path) {
  if (!path) return name;
  return `${name}.${path.replace(/^\$\.?/, "")}`;
}

export function schemaForm({ schema, value, onChange, idPrefix = "form", readOnly = false, skip = new Set(), env = {} }) {
  const root = value;
  const changed = () => onChange();

  function help(schemaPart, id) {
    const parts = [];
    if (schemaPart.description) parts.push(schemaPart.description);
    if (schemaPart.default !== undefined && typeof schemaPart.default !== "object") parts.push(`Default: ${schemaPart.default}.`);
    return parts.length ? h("small", { class: "help", id: `${id}-help` }, parts.join(" ")) : null;
  }

  function wrap(schemaPart, path, id, control, { required = false, inline = false } = {}) {
    const label = title(schemaPart, path[path.length - 1]);
    const helpText = help(schemaPart, id);
    if (helpText && control instanceof Element && control.matches("input, select, textarea")) control.setAttribute("aria-describedby", helpText.id);
    const element = inline
      ? h("div", { class: "field check" }, control, h("label", { for: id }, label), helpText)
      : h("div", { class: "field" }, h("label", { for: id }, label, required ? " *" : ""), control, helpText);
    element.dataset.pointer = pointer(path);
    element.setAttribute("data-testid", `field-${path.join(".")}`);
    return element;
  }

  function jsonField(schemaPart, path, id, required) {
    const current = getAt(root, path);
    const area = h("textarea", { id, class: "json-input", rows: current && typeof current === "object" ? "4" : "2",
      spellcheck: "false", disabled: readOnly, placeholder: schemaPart.default !== undefined ? JSON.stringify(schemaPart.default) : "JSON",
      "data-testid": `param-${path.join(".")}` });
    area.value = current === undefined ? "" : JSON.stringify(current, null, 2);
    const error = h("small", { class: "error field-error", role: "alert" });
    area.addEventListener("input", () => {
      const text = area.value.trim();
      if (!text) {
        setAt(root, path, undefined);
        area.removeAttribute("aria-invalid");
        error.textContent = "";
        changed();
        return;
      }
      try {
        setAt(root, path, JSON.parse(text));
        area.removeAttribute("aria-invalid");
        error.textContent = "";
        changed();
      } catch (problem) {
        area.setAttribute("aria-invalid", "true");
        error.textContent = `Not valid JSON: ${problem.message}`;
      }
    });
    const element = wrap(schemaPart, path, id, area, { required });
    element.append(error);
    return element;
  }

  function inputPicker(schemaPart, path, id, required) {
    const current = getAt(root, path) ?? {};
    const model = env.model;
    const upstream = model ? model.ancestors(env.nodeId) : [];
    const summary = h("output", { class: "reference mono", "data-testid": "input-reference", for: `${id}-node ${id}-path` });
    const describe = () => {
      const value = getAt(root, path);
      const node = value?.node ? model?.node(value.node) ?? { name: value.node } : null;
      const parents = model?.upstream(env.nodeId) ?? [];
      summary.textContent = node ? referenceLabel(node.name, value.path ?? "")
        : parents.length ? `${parents.map((parent) => parent.name).join(" + ")} (upstream output)` : "(no upstream node yet)";
    };
    const select = h("select", { id: `${id}-node`, disabled: readOnly, "data-testid": `param-${path.join(".")}-node`,
      onchange: () => {
        if (!select.value) setAt(root, path, undefined);
        else setAt(root, [...path, "node"], select.value);
        pathInput.disabled = readOnly || !select.value;
        describe();
        changed();
      } },
    h("option", { value: "" }, required ? "Choose a node" : "Upstream output (default)"),
    upstream.map((node) => h("option", { value: node.id, selected: current.node === node.id || current.node === node.name }, node.name)),
    current.node && !upstream.some((node) => node.id === current.node || node.name === current.node)
      ? h("option", { value: current.node, selected: true }, `${current.node} (not upstream)`) : null);
    const listId = `${id}-paths`;
    const pathInput = h("input", { id: `${id}-path`, class: "mono", value: current.path ?? "", list: listId, autocomplete: "off",
      disabled: readOnly || !current.node, placeholder: "$ (each item)", "data-testid": `param-${path.join(".")}-path`,
      oninput: () => {
        setAt(root, [...path, "path"], pathInput.value.trim() || undefined);
        describe();
        changed();
      } });
    describe();
    const element = h("fieldset", { class: "field input-picker" },
      h("legend", {}, title(schemaPart, path[path.length - 1]), required ? " *" : ""),
      h("div", { class: "field" }, h("label", { for: select.id }, "Node"), select),
      h("div", { class: "field" }, h("label", { for: pathInput.id }, "Path (JSONPath in each item)"), pathInput,
        h("datalist", { id: listId }, (env.keySuggestions ?? []).map((key) => h("option", { value: key })))),
      h("div", { class: "reference-line" }, h("span", { class: "muted" }, "Data: "), summary),
      help(schemaPart, id));
    element.dataset.pointer = pointer(path);
    return element;
  }

  function conditionsField(schemaPart, path, id) {
    const isArray = schemaPart.type === "array";
    const conditionsPath = isArray ? path : [...path, "conditions"];
    const expressionPath = isArray ? [...path.slice(0, -1), "expression"] : [...path, "expression"];
    const builder = conditionBuilder({
      conditions: getAt(root, conditionsPath) ?? [], expression: getAt(root, expressionPath) ?? "", readOnly,
      idPrefix: id, keySuggestions: env.keySuggestions ?? [], types: env.conditionTypes ?? [],
      onChange: (conditions, expression) => {
        setAt(root, conditionsPath, conditions);
        if (expression) setAt(root, expressionPath, expression); else setAt(root, expressionPath, isArray ? undefined : "");
        changed();
      },
    });
    const element = h("fieldset", { class: "field conditions-field" },
      h("legend", {}, title(schemaPart, path[path.length - 1])), help(schemaPart, id), builder);
    element.dataset.pointer = pointer(path);
    element.dataset.conditionsPointer = pointer(conditionsPath);
    return element;
  }

  function listField(schemaPart, path, id, required) {
    const items = schemaPart.items ?? {};
    const objectItems = items.type === "object" && items.properties;
    const holder = h("div", { class: "list-items" });
    const draw = () => {
      const current = getAt(root, path) ?? [];
      holder.replaceChildren(...current.map((item, index) => {
        const itemPath = [...path, index];
        const itemId = fieldId(idPrefix, itemPath);
        const remove = readOnly ? null : h("button", { type: "button", class: "link danger", "aria-label": `Remove item ${index + 1}`,
          onclick: () => { current.splice(index, 1); if (!current.length) setAt(root, path, undefined); changed(); draw(); } }, "Remove");
        if (objectItems) {
          return h("fieldset", { class: "list-item", "data-pointer": pointer(itemPath) },
            h("legend", {}, `${title(schemaPart, path[path.length - 1])} ${index + 1}`),
            objectFields(items, itemPath), remove);
        }
        const input = h("input", { id: itemId, value: item ?? "", disabled: readOnly, autocomplete: "off",
          class: items["x-weft-editor"] === "jsonPath" || items["x-weft-editor"] === "template" ? "mono" : "",
          list: items["x-weft-editor"] === "jsonPath" ? `${idPrefix}-keys` : null,
          type: items.type === "number" || items.type === "integer" ? "number" : "text",
          "aria-label": `${title(schemaPart, path[path.length - 1])} ${index + 1}`, "data-testid": `param-${path.join(".")}-${index}`,
          oninput: () => {
            current[index] = items.type === "number" || items.type === "integer" ? Number(input.value) : input.value;
            changed();
          } });
        if (items.type === "string" && items["x-weft-editor"] === "node") {
          const select = h("select", { id: itemId, disabled: readOnly, "aria-label": `${title(schemaPart, path[path.length - 1])} ${index + 1}`,
            onchange: () => { current[index] = select.value; changed(); } },
          h("option", { value: "" }, "Choose a node"),
          (env.model?.nodes ?? []).filter((node) => node.id !== env.nodeId && node.type !== "trigger")
            .map((node) => h("option", { value: node.id, selected: node.id === item }, node.name)));
          return h("div", { class: "list-row", "data-pointer": pointer(itemPath) }, select, remove);
        }
        return h("div", { class: "list-row", "data-pointer": pointer(itemPath) }, input, remove);
      }));
      const limit = schemaPart.maxItems;
      if (!readOnly && !(limit && current.length >= limit)) {
        holder.append(h("button", { type: "button", class: "add-item", "data-testid": `add-${path.join(".")}`,
          onclick: () => {
            const list = getAt(root, path) ?? [];
            list.push(objectItems ? {} : items.type === "number" || items.type === "integer" ? 0 : "");
            setAt(root, path, list);
            changed();
            draw();
            holder.querySelector(".list-row:last-of-type input, .list-row:last-of-type select, .list-item:last-of-type input")?.focus();
          } }, `+ Add ${objectItems ? "entry" : "item"}`));
      }
    };
    draw();
    const element = h("fieldset", { class: "field list-field", id },
      h("legend", {}, title(schemaPart, path[path.length - 1]), required ? " *" : ""), help(schemaPart, id), holder);
    element.dataset.pointer = pointer(path);
    return element;
  }

  function field(schemaPart, path, required) {
    const id = fieldId(idPrefix, path);
    const hint = schemaPart["x-weft-editor"];
    const current = getAt(root, path);
    if (hint === "input") return inputPicker(schemaPart, path, id, required);
    if (hint === "conditions") return conditionsField(schemaPart, path, id);
    if (hint === "javascript") {
      const editor = codeEditor({ id, value: current ?? "", label: title(schemaPart, path[path.length - 1]), readOnly,
        onChange: (text) => { setAt(root, path, text === "" ? undefined : text); changed(); } });
      const element = wrap(schemaPart, path, id, editor, { required });
      return element;
    }
    if (hint === "node" && schemaPart.type === "string") {
      const select = h("select", { id, disabled: readOnly, onchange: () => { setAt(root, path, select.value || undefined); changed(); } },
        h("option", { value: "" }, "Choose a node"),
        (env.model?.nodes ?? []).filter((node) => node.id !== env.nodeId).map((node) => h("option", { value: node.id, selected: node.id === current }, node.name)));
      return wrap(schemaPart, path, id, select, { required });
    }
    if (hint === "json" || schemaPart.oneOf || schemaPart.anyOf || (!schemaPart.type && !schemaPart.enum)) {
      return jsonField(schemaPart, path, id, required);
    }
    if (schemaPart.enum) {
      const select = h("select", { id, disabled: readOnly, "data-testid": `param-${path.join(".")}`,
        onchange: () => { setAt(root, path, select.value === "" ? undefined : JSON.parse(select.value)); changed(); } },
      h("option", { value: "" }, schemaPart.default !== undefined ? `Default (${schemaPart.default})` : required ? "Choose…" : "(not set)"),
      schemaPart.enum.map((option) => h("option", { value: JSON.stringify(option), selected: current === option }, String(option))));
      return wrap(schemaPart, path, id, select, { required });
    }
    const type = Array.isArray(schemaPart.type) ? schemaPart.type.find((t) => t !== "null") : schemaPart.type;
    if (type === "boolean") {
      const box = h("input", { id, type: "checkbox", checked: current ?? schemaPart.default ?? false, disabled: readOnly,
        "data-testid": `param-${path.join(".")}`,
        onchange: () => { setAt(root, path, box.checked); changed(); } });
      return wrap(schemaPart, path, id, box, { inline: true });
    }
    if (type === "number" || type === "integer") {
      const input = h("input", { id, type: "number", value: current ?? "", disabled: readOnly,
        step: type === "integer" ? "1" : "any", min: schemaPart.minimum ?? null, max: schemaPart.maximum ?? null,
        placeholder: schemaPart.default !== undefined ? String(schemaPart.default) : "", "data-testid": `param-${path.join(".")}`,
        oninput: () => { setAt(root, path, input.value === "" ? undefined : Number(input.value)); changed(); } });
      return wrap(schemaPart, path, id, input, { required });
    }
    if (type === "string") {
      const mono = hint === "jsonPath" || hint === "template";
      const input = h("input", { id, value: current ?? "", disabled: readOnly, autocomplete: "off", class: mono ? "mono" : "",
        list: hint === "jsonPath" ? `${idPrefix}-keys` : null,
        placeholder: schemaPart.default !== undefined ? String(schemaPart.default) : hint === "jsonPath" ? "$.Key" : "",
        "data-testid": `param-${path.join(".")}`,
        oninput: () => { setAt(root, path, input.value === "" ? undefined : input.value); changed(); } });
      return wrap(schemaPart, path, id, input, { required });
    }
    if (type === "object") {
      if (schemaPart.properties) {
        const open = current !== undefined || required;
        const details = h("details", { class: "field object-field", open, "data-testid": `field-${path.join(".")}` },
          h("summary", {}, title(schemaPart, path[path.length - 1]), required ? " *" : ""),
          help(schemaPart, id), objectFields(schemaPart, path));
        details.dataset.pointer = pointer(path);
        return details;
      }
      return jsonField(schemaPart, path, id, required);
    }
    if (type === "array") {
      const items = schemaPart.items ?? {};
      const simple = ["string", "number", "integer"].includes(items.type) && !items.enum && items["x-weft-editor"] !== "json";
      if (simple || (items.type === "object" && items.properties)) return listField(schemaPart, path, id, required);
      return jsonField(schemaPart, path, id, required);
    }
    return jsonField(schemaPart, path, id, required);
  }

  function objectFields(schemaPart, path) {
    const required = new Set(schemaPart.required ?? []);
    const children = [];
    const properties = schemaPart.properties ?? {};
    const hasArrayConditions = Object.values(properties).some((p) => p["x-weft-editor"] === "conditions" && p.type === "array");
    for (const [key, child] of Object.entries(properties)) {
      if (path.length === 0 && skip.has(key)) continue;
      if (hasArrayConditions && key === "expression") continue;
      children.push(field(child, [...path, key], required.has(key)));
    }
    return children;
  }

  return h("div", { class: "schema-form" },
    h("datalist", { id: `${idPrefix}-keys` }, (env.keySuggestions ?? []).map((key) => h("option", { value: key }))),
    objectFields(schema ?? { properties: {} }, []));
}
