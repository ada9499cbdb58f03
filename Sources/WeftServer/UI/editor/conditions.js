// The condition builder for filter, control and loop conditions (SPEC 2.1, 4.2):
// `{"conditions": [{id, type, …fields}], "expression": "c1 || c2"}`.
//
// `conditionBuilder({conditions, expression, onChange, readOnly, idPrefix, keySuggestions, types})`
// returns an element listing the conditions (filter type and that type's fields), an AND/OR choice
// between each condition and the previous one, "Add condition", and the resulting expression. An
// expression that is not such a chain (parentheses, NOT) is kept and edited as text ("Write the
// expression by hand"). `onChange(conditions, expression)` gets fresh copies after every edit.
//
// `types` is the catalog's `conditionTypes` (`GET /api/v1/node-types`: `[{type, summary, fields}]`, the
// fields a JSON Schema object): it gives the types, their fields' names, titles, help, enums, defaults
// and which are required. A new condition starts with each field's default, or for a required field
// without one its first choice (or an empty text). `UI_HINTS` adds only what the catalog does not say.

import { fill, h } from "../ui.js";
import { codeEditor } from "./code-editor.js";

const TRAFFIC_PROTOCOLS = ["any", "tcp", "udp", "icmp", "icmpv6"];
const operatorIn = (...operators) => (condition) => operators.includes(condition.operator);
const operatorNotIn = (...operators) => (condition) => !operators.includes(condition.operator);

/**
 * UI-only hints by condition type and field: when the field shows (`shown(condition)`; always when
 * absent), a widget other than the one its schema suggests (`kind: "sgValue"`: text, or a list of CIDRs
 * separated by commas for the `outsideCidrs` source), values offered while typing (`suggestions`) and
 * the text a new condition starts with (`initial`).
 */
const UI_HINTS = {
  param: {
    value: { shown: operatorNotIn("exists", "notExists", "isEmpty", "isNotEmpty") },
  },
  date: {
    days: { shown: operatorIn("olderThan", "newerThan") },
    hours: { shown: operatorIn("olderThan", "newerThan") },
    value: { shown: operatorIn("before", "after") },
    from: { shown: operatorIn("between") },
    to: { shown: operatorIn("between") },
  },
  tags: {
    value: { shown: operatorNotIn("exists", "notExists") },
  },
  securityGroup: {
    protocol: { suggestions: TRAFFIC_PROTOCOLS },
    value: { kind: "sgValue", shown: (condition) => !["anyPublicIPv4", "anyPublicIPv6"].includes(condition.source) },
  },
  networkAcl: {
    protocol: { suggestions: TRAFFIC_PROTOCOLS },
  },
  function: {
    code: { initial: "return true;" },
  },
};

const ACRONYMS = new Set(["acl", "cidr", "id", "ip", "sg", "url"]);

/** "securityGroup" → "Security group", "networkAcl" → "Network ACL". */
function humanize(name) {
  const words = String(name).replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[\s_-]+/).filter(Boolean);
  const text = words.map((word) => (ACRONYMS.has(word) ? word.toUpperCase() : word)).join(" ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The widget a field's JSON Schema suggests: choice, boolean, number, jsonPath, javascript, text or value (JSON or text). */
function kindOf(schema) {
  if (Array.isArray(schema.enum)) return "choice";
  const hint = schema["x-weft-editor"];
  if (hint === "jsonPath" || hint === "javascript") return hint;
  if (schema.type === "boolean") return "boolean";
  if (schema.type === "number" || schema.type === "integer") return "number";
  if (schema.type === "string") return "text";
  return "value";
}

/** The builder's view of one catalog entry: `{type, label, summary, fields: [{name, schema, label, help, required, …hints}]}`. */
function describeType(entry) {
  const schema = entry.fields ?? {};
  const required = new Set(schema.required ?? []);
  const hints = UI_HINTS[entry.type] ?? {};
  return {
    type: entry.type,
    label: humanize(entry.type),
    summary: entry.summary ?? "",
    fields: Object.entries(schema.properties ?? {}).map(([name, property]) => ({
      name, schema: property, label: property.title ?? humanize(name), help: property.description ?? "",
      required: required.has(name), default: property.default, options: property.enum,
      kind: kindOf(property), ...hints[name],
    })),
  };
}

/** A condition of the described `type` with its starting values written. */
function newCondition(id, type) {
  const condition = { id, type: type.type };
  for (const field of type.fields) {
    let start = field.initial ?? field.default;
    if (start === undefined && field.required) start = field.options?.[0] ?? (field.schema.type === "string" ? "" : undefined);
    if (start !== undefined) condition[field.name] = JSON.parse(JSON.stringify(start));
  }
  return condition;
}

/** Reads a typed value: JSON literals (true, 14, null, [..], {..}) become JSON, anything else text. */
export function parseValue(text) {
  const trimmed = text.trim();
  if (!trimmed) return "";
  if (/^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?|\[.*\]|\{.*\})$/s.test(trimmed)) {
    try { return JSON.parse(trimmed); } catch { return text; }
  }
  return text;
}

function showValue(value) {
  if (value === undefined) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function normalize(expression) {
  let text = expression.replace(/\bAND\b/gi, "&&").replace(/\bOR\b/gi, "||").replace(/\s+/g, "").replace(/^\{(.*)\}$/, "$1");
  for (let before = ""; before !== text;) {
    before = text;
    text = text.replace(/\(([A-Za-z0-9_.-]+)\)/g, "$1");
  }
  return text;
}

/** The chain expression for ids and joins ("&&"/"||"), AND groups in parentheses when ORed. */
export function chainExpression(ids, joins) {
  if (!ids.length) return "";
  const groups = [[ids[0]]];
  joins.forEach((join, index) => {
    if (join === "||") groups.push([ids[index + 1]]);
    else groups[groups.length - 1].push(ids[index + 1]);
  });
  const parts = groups.map((group) => (group.length > 1 && groups.length > 1 ? `(${group.join(" && ")})` : group.join(" && ")));
  return parts.join(" || ");
}

/** The joins when `expression` is a chain of `ids` in order (or empty); null otherwise. */
export function parseChain(expression, ids) {
  if (!expression?.trim()) return ids.slice(1).map(() => "&&");
  const spaced = expression.replace(/\bAND\b/gi, " && ").replace(/\bOR\b/gi, " || ");
  const tokens = spaced.replace(/[(){}]/g, " ").split(/\s+/).filter(Boolean);
  if (tokens.length !== ids.length * 2 - 1) return null;
  const joins = [];
  for (let index = 0; index < tokens.length; index += 1) {
    if (index % 2 === 0 && tokens[index] !== ids[index / 2]) return null;
    if (index % 2 === 1) {
      if (tokens[index] !== "&&" && tokens[index] !== "||") return null;
      joins.push(tokens[index]);
    }
  }
  const wanted = normalize(expression);
  const flat = ids.reduce((text, id, index) => (index ? `${text}${joins[index - 1]}${id}` : id), "");
  if (wanted !== normalize(chainExpression(ids, joins)) && wanted !== flat && wanted !== `(${flat})`) return null;
  return joins;
}

/** A field's typed text as its schema wants it: text for strings, a number for numbers, else a JSON literal or text. */
function fromText(text, field) {
  const type = field.schema.type;
  if (type === "string") return text;
  if (type === "number" || type === "integer") return Number(text);
  return parseValue(text);
}

export function conditionBuilder({ conditions = [], expression = "", onChange, readOnly = false, idPrefix = "cond", keySuggestions = [], types = [] }) {
  let list = JSON.parse(JSON.stringify(conditions ?? []));
  let joins = parseChain(expression ?? "", list.map((condition) => condition.id));
  let custom = joins === null;
  let customText = expression ?? "";
  if (custom) joins = list.slice(1).map(() => "&&");
  const known = new Map(types.map((entry) => [entry.type, describeType(entry)]));
  const firstType = known.get("param") ?? known.values().next().value;

  const element = h("div", { class: "condition-builder", "data-testid": "condition-builder" });
  const keyList = h("datalist", { id: `${idPrefix}-keys` }, keySuggestions.map((key) => h("option", { value: key })));

  const currentExpression = () => (custom ? customText : chainExpression(list.map((condition) => condition.id), joins));
  const emit = () => onChange(JSON.parse(JSON.stringify(list)), currentExpression());

  function nextId() {
    const taken = new Set(list.map((condition) => condition.id));
    for (let n = 1; ; n += 1) if (!taken.has(`c${n}`)) return `c${n}`;
  }

  function fieldControl(condition, field, index) {
    const id = `${idPrefix}-${index}-${field.name}`;
    const value = condition[field.name];
    const set = (next) => {
      if (next === undefined || next === "") delete condition[field.name]; else condition[field.name] = next;
      emit();
    };
    let control;
    let suggestions = null;
    switch (field.kind) {
      case "choice": {
        const current = value ?? field.default;
        const options = current === undefined || field.options.includes(current) ? field.options : [current, ...field.options];
        control = h("select", { id, disabled: readOnly, onchange: (event) => { set(event.target.value || undefined); draw(); } },
          current === undefined ? h("option", { value: "", selected: true }, field.required ? "Choose…" : "(not set)") : null,
          options.map((option) => h("option", { value: option, selected: current === option }, String(option))));
        break;
      }
      case "boolean":
        control = h("input", { id, type: "checkbox", checked: value ?? field.default ?? false, disabled: readOnly,
          onchange: (event) => set(event.target.checked) });
        break;
      case "number":
        control = h("input", { id, type: "number", step: field.schema.type === "integer" ? "1" : "any", value: value ?? "",
          min: field.schema.minimum ?? null, max: field.schema.maximum ?? null, disabled: readOnly,
          placeholder: field.default !== undefined ? String(field.default) : "",
          oninput: (event) => set(event.target.value === "" ? undefined : Number(event.target.value)) });
        break;
      case "javascript":
        control = codeEditor({ id, value: value ?? "", label: `${field.label} of condition ${condition.id}`, readOnly,
          onChange: (text) => set(text) });
        break;
      case "sgValue":
        control = h("input", { id, value: Array.isArray(value) ? value.join(", ") : showValue(value), disabled: readOnly, autocomplete: "off",
          oninput: (event) => {
            const text = event.target.value.trim();
            if (condition.source === "outsideCidrs" && text && !text.includes("$wf") && !text.includes("{{")) {
              set(text.split(",").map((part) => part.trim()).filter(Boolean));
            } else set(text || undefined);
          } });
        break;
      default: {
        if (field.suggestions) {
          suggestions = h("datalist", { id: `${id}-suggestions` }, field.suggestions.map((option) => h("option", { value: option })));
        }
        control = h("input", { id, value: showValue(value), disabled: readOnly, autocomplete: "off",
          class: field.kind === "jsonPath" ? "mono" : null,
          list: field.kind === "jsonPath" ? keyList.id : suggestions?.id ?? null,
          placeholder: field.default !== undefined ? showValue(field.default) : "",
          oninput: (event) => {
            const text = event.target.value;
            if (text === "") set(field.required && field.schema.type === "string" ? "" : undefined);
            else set(fromText(text, field));
          } });
      }
    }
    control.setAttribute?.("data-testid", `condition-${field.name}`);
    const help = field.help ? h("small", { class: "help", id: `${id}-help` }, field.help) : null;
    if (help && control.setAttribute) control.setAttribute("aria-describedby", help.id);
    const wrapper = field.kind === "boolean"
      ? h("div", { class: "field check" }, control, h("label", { for: id }, field.label), help)
      : h("div", { class: `field field-${field.name}` }, h("label", { for: id }, field.label, field.required ? " *" : ""), control, suggestions, help);
    wrapper.dataset.pointer = `/${index}/${field.name}`;
    return wrapper;
  }

  function card(condition, index) {
    const type = known.get(condition.type);
    const typeId = `${idPrefix}-${index}-type`;
    const typeHelp = type?.summary ? h("small", { class: "help", id: `${typeId}-help` }, type.summary) : null;
    const typeSelect = h("select", { id: typeId, disabled: readOnly, "data-testid": "condition-type",
      "aria-describedby": typeHelp ? typeHelp.id : null,
      onchange: (event) => {
        list[index] = newCondition(condition.id, known.get(event.target.value));
        emit();
        draw();
      } },
    [...known.values()].map((entry) => h("option", { value: entry.type, selected: condition.type === entry.type }, entry.label)),
    type ? null : h("option", { value: condition.type, selected: true }, condition.type));
    const fields = (type?.fields ?? []).filter((field) => !field.shown || field.shown(condition)).map((field) => fieldControl(condition, field, index));
    return h("fieldset", { class: "condition", "data-condition-id": condition.id, "data-testid": "condition", "data-pointer": `/${index}` },
      h("legend", {}, `Condition ${condition.id}`),
      h("div", { class: "field" }, h("label", { for: typeId }, "Filter type *"), typeSelect, typeHelp),
      type ? fields : h("p", { class: "muted" }, `Unknown condition type ${condition.type}: edit the flow's JSON.`),
      readOnly ? null : h("button", { type: "button", class: "link danger", "data-testid": "remove-condition",
        onclick: () => {
          list.splice(index, 1);
          joins.splice(Math.max(0, index - 1), 1);
          emit();
          draw();
        } }, `Remove condition ${condition.id}`));
  }

  function join(index) {
    const id = `${idPrefix}-join-${index}`;
    return h("div", { class: "condition-join" },
      h("label", { for: id, class: "visually-hidden" }, `Combine ${list[index + 1].id} with the conditions before it`),
      h("select", { id, disabled: readOnly || custom, "data-testid": "condition-join",
        onchange: (event) => { joins[index] = event.target.value; emit(); draw(); } },
      h("option", { value: "&&", selected: joins[index] === "&&" }, "AND"),
      h("option", { value: "||", selected: joins[index] === "||" }, "OR")));
  }

  function draw() {
    const items = [];
    list.forEach((condition, index) => {
      if (index > 0) items.push(join(index - 1));
      items.push(card(condition, index));
    });
    const expressionId = `${idPrefix}-expression`;
    const customBox = h("input", { type: "checkbox", id: `${expressionId}-custom`, checked: custom, disabled: readOnly,
      onchange: (event) => {
        custom = event.target.checked;
        if (custom) customText = chainExpression(list.map((condition) => condition.id), joins);
        else {
          joins = parseChain(customText, list.map((condition) => condition.id)) ?? list.slice(1).map(() => "&&");
        }
        emit();
        draw();
      } });
    fill(element, keyList,
      list.length ? items : h("p", { class: "muted" }, "No conditions yet."),
      readOnly || !firstType ? null : h("button", { type: "button", class: "add-condition", "data-testid": "add-condition",
        onclick: () => {
          list.push(newCondition(nextId(), firstType));
          if (list.length > 1) joins.push("&&");
          emit();
          draw();
          element.querySelector(`fieldset.condition:last-of-type select`)?.focus();
        } }, "+ Add condition"),
      h("div", { class: "condition-expression" },
        h("span", { class: "label" }, "Expression: "),
        custom
          ? h("input", { id: expressionId, class: "mono", value: customText, disabled: readOnly, "aria-label": "Expression",
            "data-testid": "condition-expression-input",
            oninput: (event) => { customText = event.target.value; emit(); } })
          : h("output", { id: expressionId, class: "mono", "data-testid": "condition-expression" },
            currentExpression() || (list.length ? "" : "(none)")),
        h("div", { class: "field check" }, customBox, h("label", { for: customBox.id }, "Write the expression by hand (parentheses, NOT)"))));
  }

  draw();
  return element;
}
