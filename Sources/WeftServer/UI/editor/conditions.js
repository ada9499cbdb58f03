// The condition builder for filter, control and loop conditions (SPEC 2.1, 4.2):
// `{"conditions": [{id, type, …fields}], "expression": "c1 || c2"}`.
//
// `conditionBuilder({conditions, expression, onChange, readOnly, idPrefix, keySuggestions})` returns
// an element listing the conditions (filter type and that type's fields), an AND/OR choice between
// each condition and the previous one, "Add condition", and the resulting expression. An expression
// that is not such a chain (parentheses, NOT) is kept and edited as text ("Write the expression by
// hand"). `onChange(conditions, expression)` gets fresh copies after every edit.
//
// The condition types and their fields mirror WeftModel's `ConditionTypes.builtIn`: the node-type
// catalog declares `conditions` only as an array of objects.

import { fill, h } from "../ui.js";
import { codeEditor } from "./code-editor.js";

const TRAFFIC_PROTOCOLS = ["any", "tcp", "udp", "icmp", "icmpv6"];

/** Condition types: label, fields (name, label, kind, options, default, shown(condition)). */
export const CONDITION_TYPES = {
  param: {
    label: "Param",
    fields: [
      { name: "key", label: "Key", kind: "jsonPath", required: true, help: "JSONPath of the value to test, e.g. $.State.Name" },
      { name: "operator", label: "Operator", kind: "choice", required: true, default: "==",
        options: ["==", "!=", ">", ">=", "<", "<=", "contains", "notContains", "startsWith", "endsWith", "in", "notIn",
          "matches", "exists", "notExists", "isEmpty", "isNotEmpty"] },
      { name: "value", label: "Value", kind: "value", help: "Example: State.Code == 14 or State.Name == running; a list for in/notIn, a regular expression for matches",
        shown: (c) => !["exists", "notExists", "isEmpty", "isNotEmpty"].includes(c.operator) },
    ],
  },
  date: {
    label: "Date",
    fields: [
      { name: "key", label: "Key", kind: "jsonPath", required: true, help: "JSONPath of the date, e.g. $.LaunchTime" },
      { name: "operator", label: "Operator", kind: "choice", required: true, default: "olderThan",
        options: ["olderThan", "newerThan", "before", "after", "between"] },
      { name: "days", label: "Days", kind: "number", shown: (c) => ["olderThan", "newerThan"].includes(c.operator) },
      { name: "hours", label: "Hours", kind: "number", shown: (c) => ["olderThan", "newerThan"].includes(c.operator) },
      { name: "value", label: "Date", kind: "text", help: "ISO 8601 date or epoch number", shown: (c) => ["before", "after"].includes(c.operator) },
      { name: "from", label: "From", kind: "text", shown: (c) => c.operator === "between" },
      { name: "to", label: "To", kind: "text", shown: (c) => c.operator === "between" },
    ],
  },
  tags: {
    label: "Tags",
    fields: [
      { name: "key", label: "Tag key", kind: "text", required: true, help: "e.g. Environment" },
      { name: "operator", label: "Operator", kind: "choice", required: true, default: "exists",
        options: ["exists", "notExists", "equals", "notEquals", "contains", "matches"] },
      { name: "value", label: "Value", kind: "text", shown: (c) => !["exists", "notExists"].includes(c.operator) },
      { name: "caseSensitive", label: "Case sensitive", kind: "boolean", default: true },
    ],
  },
  securityGroup: {
    label: "Security group",
    fields: [
      { name: "direction", label: "Type", kind: "choice", required: true, default: "inbound", options: ["inbound", "outbound"] },
      { name: "ports", label: "Port range", kind: "text", default: "all", write: true, help: "all, one port (22) or a range (1024-2048)" },
      { name: "protocol", label: "Protocol", kind: "suggest", default: "any", write: true, options: TRAFFIC_PROTOCOLS,
        help: "any, tcp, udp, icmp, icmpv6 or an IP protocol number" },
      { name: "source", label: "Source", kind: "choice", required: true, default: "cidr",
        options: ["cidr", "anyPublicIPv4", "anyPublicIPv6", "outsideCidrs", "securityGroup", "prefixList"] },
      { name: "value", label: "IP/SG", kind: "sgValue", help: "A CIDR (cidr), allowed CIDRs separated by commas or a variable (outsideCidrs), a group id or a prefix-list id",
        shown: (c) => !["anyPublicIPv4", "anyPublicIPv6"].includes(c.source) },
    ],
  },
  networkAcl: {
    label: "Network ACL",
    fields: [
      { name: "direction", label: "Type", kind: "choice", required: true, default: "inbound", options: ["inbound", "outbound"] },
      { name: "ports", label: "Port range", kind: "text", default: "all", write: true },
      { name: "protocol", label: "Protocol", kind: "suggest", default: "any", write: true, options: TRAFFIC_PROTOCOLS },
      { name: "source", label: "Source CIDR", kind: "text", required: true, help: "e.g. 0.0.0.0/0" },
      { name: "action", label: "Action", kind: "choice", required: true, default: "allow", options: ["allow", "deny"] },
    ],
  },
  function: {
    label: "Function",
    fields: [
      { name: "code", label: "Code", kind: "javascript", required: true,
        help: "The body of a function receiving item and ctx ({index, now, vars, execution}), returning true or false" },
    ],
  },
};

/** A condition of `type` with its defaults written. */
export function newCondition(id, type = "param") {
  const condition = { id, type };
  for (const field of CONDITION_TYPES[type]?.fields ?? []) {
    if (field.default !== undefined && (field.required || field.write)) condition[field.name] = field.default;
  }
  if (type === "param") condition.key = "";
  if (type === "function") condition.code = "return true;";
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

export function conditionBuilder({ conditions = [], expression = "", onChange, readOnly = false, idPrefix = "cond", keySuggestions = [] }) {
  let list = JSON.parse(JSON.stringify(conditions ?? []));
  let joins = parseChain(expression ?? "", list.map((condition) => condition.id));
  let custom = joins === null;
  let customText = expression ?? "";
  if (custom) joins = list.slice(1).map(() => "&&");

  const element = h("div", { class: "condition-builder", "data-testid": "condition-builder" });
  const keyList = h("datalist", { id: `${idPrefix}-keys` }, keySuggestions.map((key) => h("option", { value: key })));
  const protocolList = h("datalist", { id: `${idPrefix}-protocols` }, TRAFFIC_PROTOCOLS.map((value) => h("option", { value })));

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
    switch (field.kind) {
      case "choice":
        control = h("select", { id, disabled: readOnly, onchange: (event) => { set(event.target.value); draw(); } },
          field.options.map((option) => h("option", { value: option, selected: (value ?? field.default) === option }, option)));
        break;
      case "boolean":
        control = h("input", { id, type: "checkbox", checked: value ?? field.default ?? false, disabled: readOnly,
          onchange: (event) => set(event.target.checked) });
        break;
      case "number":
        control = h("input", { id, type: "number", step: "any", value: value ?? "", disabled: readOnly,
          oninput: (event) => set(event.target.value === "" ? undefined : Number(event.target.value)) });
        break;
      case "javascript":
        control = codeEditor({ id, value: value ?? "", label: `${field.label} of condition ${condition.id}`, readOnly,
          onChange: (text) => set(text) });
        break;
      case "value":
        control = h("input", { id, value: showValue(value), disabled: readOnly, autocomplete: "off",
          oninput: (event) => set(event.target.value === "" ? undefined : parseValue(event.target.value)) });
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
        const attributes = { id, value: value ?? "", disabled: readOnly, autocomplete: "off", placeholder: field.default ?? "",
          oninput: (event) => set(event.target.value === "" ? (field.required ? "" : undefined) : event.target.value) };
        if (field.kind === "jsonPath") { attributes.list = keyList.id; attributes.class = "mono"; }
        if (field.kind === "suggest") attributes.list = protocolList.id;
        control = h("input", attributes);
      }
    }
    control.setAttribute?.("data-testid", `condition-${field.name}`);
    const help = field.help ? h("small", { class: "help", id: `${id}-help` }, field.help) : null;
    if (help && control.setAttribute) control.setAttribute("aria-describedby", help.id);
    const wrapper = field.kind === "boolean"
      ? h("div", { class: "field check" }, control, h("label", { for: id }, field.label))
      : h("div", { class: `field field-${field.name}` }, h("label", { for: id }, field.label, field.required ? " *" : ""), control, help);
    wrapper.dataset.pointer = `/${index}/${field.name}`;
    return wrapper;
  }

  function card(condition, index) {
    const type = CONDITION_TYPES[condition.type];
    const typeId = `${idPrefix}-${index}-type`;
    const typeSelect = h("select", { id: typeId, disabled: readOnly, "data-testid": "condition-type",
      onchange: (event) => {
        list[index] = newCondition(condition.id, event.target.value);
        emit();
        draw();
      } },
    Object.entries(CONDITION_TYPES).map(([name, info]) => h("option", { value: name, selected: condition.type === name }, info.label)),
    type ? null : h("option", { value: condition.type, selected: true }, condition.type));
    const fields = (type?.fields ?? []).filter((field) => !field.shown || field.shown(condition)).map((field) => fieldControl(condition, field, index));
    return h("fieldset", { class: "condition", "data-condition-id": condition.id, "data-testid": "condition", "data-pointer": `/${index}` },
      h("legend", {}, `Condition ${condition.id}`),
      h("div", { class: "field" }, h("label", { for: typeId }, "Filter type *"), typeSelect),
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
    fill(element, keyList, protocolList,
      list.length ? items : h("p", { class: "muted" }, "No conditions yet."),
      readOnly ? null : h("button", { type: "button", class: "add-condition", "data-testid": "add-condition",
        onclick: () => {
          list.push(newCondition(nextId()));
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
