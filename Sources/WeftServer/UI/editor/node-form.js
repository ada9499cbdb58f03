// The form of one node: its name, its parameters (the generic schema form, plus the AWS pickers for
// AWS nodes), its connections (a keyboard way to add and remove edges) and its settings (retry,
// timeout, on error, disabled). Validation issues of the node are listed on top and shown at the
// fields they point to.
//
// `nodeForm({api, model, nodeId, readOnly, issues, keySuggestions, conditionTypes, onMessage})` returns
// the element; `conditionTypes` is the catalog's list for the condition builder.
// Edits go to the model at once (`setParams`, `setSettings`, `renameNode`, `addEdge`, `removeEdge`).
// `issues` are `{pointer, message}` with pointers into the flow document (`/nodes/3/params/…`).

import { h } from "../ui.js";
import { awsSection } from "./aws-pickers.js";
import { nodeIcon } from "./canvas.js";
import { clone } from "./model.js";
import { schemaForm } from "./schema-form.js";

const AWS_KEYS = new Set(["service", "operation", "parameters", "addons"]);

const SETTINGS_SCHEMA = {
  type: "object",
  properties: {
    disabled: { type: "boolean", title: "Disabled", description: "Skip this node when the flow runs.", default: false },
    onError: { type: "string", enum: ["stop", "continue", "errorOutput"], title: "On error", default: "stop",
      description: "stop fails the execution; continue records the failure and goes on; errorOutput sends the error to the node's error output." },
    timeoutSeconds: { type: "number", title: "Timeout (seconds)", minimum: 0, description: "The step fails when it runs longer." },
    retry: {
      type: "object", title: "Retry", description: "Try the node again after a failure, with exponential or fixed backoff (jitter always).",
      properties: {
        maxAttempts: { type: "integer", minimum: 1, maximum: 10, title: "Max attempts" },
        initialDelayMs: { type: "integer", minimum: 0, title: "Initial delay (ms)" },
        maxDelayMs: { type: "integer", minimum: 0, title: "Max delay (ms)" },
        backoff: { type: "string", enum: ["exponential", "fixed"], title: "Backoff", default: "exponential" },
      },
    },
  },
};

function segments(pointer) {
  return pointer.split("/").slice(1);
}

/** Shows each issue at the field with the longest pointer that is a prefix of the issue's pointer. */
function markIssues(form, issues) {
  const fields = [...form.querySelectorAll("[data-pointer]")].map((element) => {
    const builder = element.closest(".condition-builder");
    const outer = builder?.closest("[data-conditions-pointer]");
    const full = builder && outer && element !== outer ? outer.dataset.conditionsPointer + element.dataset.pointer : element.dataset.pointer;
    return { element, parts: segments(full) };
  });
  for (const issue of issues) {
    const wanted = segments(issue.pointer);
    let best = null;
    for (const field of fields) {
      const prefix = field.parts.every((part, index) => wanted[index] === part);
      if (prefix && (!best || field.parts.length > best.parts.length)) best = field;
    }
    if (!best) continue;
    best.element.classList.add("has-issue");
    best.element.append(h("p", { class: "field-issue", role: "alert", "data-testid": "field-issue" }, issue.message));
  }
}

export function nodeForm({ api, model, nodeId, readOnly = false, issues = [], keySuggestions = [], conditionTypes = [], onMessage = () => {} }) {
  const node = model.node(nodeId);
  const type = model.nodeType(node.type);
  const index = model.nodes.indexOf(node);
  const prefix = `n${index}`;
  const params = clone(node.params ?? {});
  const save = () => model.setParams(nodeId, clone(params));

  const nameId = `${prefix}-name`;
  const nameError = h("small", { class: "error", role: "alert" });
  const nameInput = h("input", { id: nameId, value: node.name, disabled: readOnly, autocomplete: "off", "data-testid": "node-name",
    onchange: () => {
      const error = model.renameNode(nodeId, nameInput.value);
      nameError.textContent = error ?? "";
      if (error) nameInput.setAttribute("aria-invalid", "true"); else nameInput.removeAttribute("aria-invalid");
    } });
  const nameField = h("div", { class: "field", "data-pointer": "/name" }, h("label", { for: nameId }, "Name"), nameInput, nameError);

  const relative = issues.map((issue) => {
    const parts = segments(issue.pointer);
    const rest = parts[0] === "nodes" ? parts.slice(2) : parts;
    return { ...issue, local: rest };
  });
  const paramIssues = relative.filter((issue) => issue.local[0] === "params")
    .map((issue) => ({ pointer: "/" + issue.local.slice(1).join("/"), message: issue.message }));

  const env = { model, nodeId, keySuggestions, conditionTypes };
  const aws = node.type.startsWith("aws.") && type
    ? awsSection({ api, nodeType: type, params, onChange: save, readOnly, idPrefix: `${prefix}-aws` }) : null;
  const form = type
    ? schemaForm({ schema: type.parameters, value: params, onChange: save, idPrefix: `${prefix}-p`, readOnly,
      skip: aws ? AWS_KEYS : new Set(), env })
    : h("p", { class: "error" }, `Unknown node type ${node.type}.`);
  const parameters = h("div", { class: "node-parameters" }, aws, form);
  markIssues(parameters, paramIssues);
  if (relative.some((issue) => issue.local[0] === "name")) {
    nameField.classList.add("has-issue");
    for (const issue of relative.filter((entry) => entry.local[0] === "name")) nameField.append(h("p", { class: "field-issue" }, issue.message));
  }

  const settings = clone(node.settings ?? {});
  const settingsForm = schemaForm({ schema: SETTINGS_SCHEMA, value: settings, idPrefix: `${prefix}-s`, readOnly,
    onChange: () => model.setSettings(nodeId, clone(settings)) });
  markIssues(settingsForm, relative.filter((issue) => issue.local[0] === "settings")
    .map((issue) => ({ pointer: "/" + issue.local.slice(1).join("/"), message: issue.message })));

  const header = h("header", { class: "node-form-header" },
    h("span", { class: "node-icon", "aria-hidden": "true" }, nodeIcon(node.type)),
    h("div", {}, h("h2", { id: `${prefix}-title` }, `${readOnly ? "" : "Edit "}${type?.displayName ?? node.type} node`),
      h("small", { class: "muted mono" }, `Node id: ${node.id}`)));
  const problems = issues.length
    ? h("div", { class: "node-problems", role: "alert", "data-testid": "node-problems" },
      h("strong", {}, `${issues.length} problem${issues.length > 1 ? "s" : ""}:`),
      h("ul", {}, issues.map((issue) => h("li", {}, issue.message, h("span", { class: "muted mono" }, ` (${issue.pointer})`)))))
    : null;

  return h("section", { class: "node-form", "data-node-id": nodeId, "aria-labelledby": `${prefix}-title`, "data-testid": "node-form" },
    header,
    problems,
    type?.summary ? h("p", { class: "muted" }, type.summary) : null,
    nameField,
    parameters,
    connections({ model, nodeId, readOnly, onMessage, prefix }),
    node.type === "trigger" ? null : h("details", { class: "node-settings" }, h("summary", {}, "Node settings (retry, timeout, errors)"), settingsForm));
}

/** The node's incoming and outgoing edges, with remove buttons and an "add an input" picker. */
function connections({ model, nodeId, readOnly, onMessage, prefix }) {
  const node = model.node(nodeId);
  const box = h("fieldset", { class: "connections" }, h("legend", {}, "Connections"));
  const edges = model.edges.map((edge, index) => ({ edge, index }));
  const incoming = edges.filter(({ edge }) => edge.to === nodeId);
  const outgoing = edges.filter(({ edge }) => edge.from === nodeId);
  const row = ({ edge, index }, text) => h("li", {}, text, edge.output && edge.output !== "main" ? ` (${edge.output})` : "",
    readOnly ? null : h("button", { type: "button", class: "link danger", "aria-label": `Remove the edge: ${text}`,
      onclick: () => { const error = model.removeEdge(index); if (error) onMessage(error); } }, "Remove"));
  if (model.takesInput(node)) {
    box.append(h("p", { class: "muted" }, "Inputs from:"),
      incoming.length ? h("ul", {}, incoming.map((entry) => row(entry, `from ${model.node(entry.edge.from)?.name ?? entry.edge.from}`)))
        : h("p", { class: "muted" }, "none — connect an upstream node"));
  }
  box.append(h("p", { class: "muted" }, "Outputs to:"),
    outgoing.length ? h("ul", {}, outgoing.map((entry) => row(entry, `to ${model.node(entry.edge.to)?.name ?? entry.edge.to}`)))
      : h("p", { class: "muted" }, "none"));
  if (!readOnly && model.takesInput(node)) {
    const candidates = model.nodes.filter((other) => other.id !== nodeId && !model.reaches(nodeId, other.id));
    const choices = candidates.flatMap((other) => model.outputs(other).map((output) => ({ other, output })));
    const select = h("select", { id: `${prefix}-connect`, "data-testid": "connect-from" },
      h("option", { value: "" }, "Choose a node…"),
      choices.map(({ other, output }) => h("option", { value: `${other.id}\u0000${output}` }, output === "main" ? other.name : `${other.name} (${output})`)));
    box.append(h("div", { class: "field inline" },
      h("label", { for: select.id }, "Add an input from"), select,
      h("button", { type: "button", "data-testid": "connect-button", onclick: () => {
        if (!select.value) return;
        const [from, output] = select.value.split("\u0000");
        const error = model.addEdge(from, nodeId, output);
        if (error) onMessage(error);
      } }, "Connect")));
  }
  return box;
}
