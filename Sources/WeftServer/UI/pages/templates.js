// The templates gallery (#/templates): a card per template (GET /api/v1/templates) with Preview (its
// description, nodes and variables in a dialog) and "Use template" (a dialog choosing the flow's name,
// a connector and its regions, and the template's variables) → POST /api/v1/templates/{name}/instantiate
// → the new flow in the editor (#/flows/<id>). Cards carry data-template-name.

import { h, fill, dialog, formDialog, field, attempt } from "../ui.js";
import { chips } from "./pages-kit.js";

function nodeSummary(node) {
  const params = node.params ?? {};
  if (node.type === "aws.resource" || node.type === "aws.action") {
    return [params.service, params.operation].filter(Boolean).join(" ") +
      ((params.addons ?? []).length ? ` + ${params.addons.join(", ")}` : "");
  }
  if (node.type === "control" || node.type === "filter") {
    const conditions = params.criteria?.conditions ?? params.conditions ?? [];
    const expression = params.criteria?.expression ?? params.expression;
    return `${conditions.length} condition${conditions.length === 1 ? "" : "s"}${expression ? `: ${expression}` : ""}`;
  }
  if (node.type === "trigger") return Object.keys(params).join(", ");
  return "";
}

async function preview(template, api) {
  const answer = await api.get(`/api/v1/templates/${encodeURIComponent(template.name)}`);
  const document = answer.document ?? {};
  return dialog(template.title, h("div", { class: "template-preview", id: "template-preview" },
    h("p", {}, template.description),
    chips(template.categories),
    h("h3", {}, "Nodes"),
    h("ol", { class: "node-list" }, (document.nodes ?? []).map((node) => h("li", {},
      h("strong", {}, node.name ?? node.id), " ", h("span", { class: "pill" }, node.type), " ",
      h("span", { class: "muted" }, nodeSummary(node))))),
    (document.edges ?? []).length ? h("p", { class: "muted" }, "Edges: ",
      document.edges.map((edge) => `${edge.from} → ${edge.to}`).join(", ")) : null,
    (template.variables ?? []).length ? [h("h3", {}, "Variables"), h("ul", {}, template.variables.map((variable) =>
      h("li", {}, h("code", {}, variable.name), ` (${variable.type}): `, variable.description ?? "",
        h("div", { class: "mono muted" }, JSON.stringify(variable.value)))))] : null),
  [{ label: "Close", value: null }]);
}

/** The "Use template" dialog; resolves to the created flow or null. */
async function useTemplate(template, api, connectors) {
  const suffix = new Date().toISOString().slice(0, 16).replace("T", " ");
  const name = h("input", { id: "use-name", required: true, value: `${template.title} ${suffix}` });
  const connector = h("select", { id: "use-connector", required: template.needsConnector },
    template.needsConnector ? null : h("option", { value: "" }, "No connector"),
    connectors.map((entry) => h("option", { value: entry.name }, `${entry.name} (${entry.provider}${entry.accountId ? ` · ${entry.accountId}` : ""})`)));
  const regions = h("fieldset", { class: "choices", id: "use-regions" }, h("legend", {}, "Regions"));
  const showRegions = () => {
    const chosen = connectors.find((entry) => entry.name === connector.value);
    const list = chosen?.regions ?? [];
    fill(regions, h("legend", {}, "Regions"),
      list.length
        ? list.map((region, index) => h("label", { class: "choice" },
          h("input", { type: "checkbox", name: "region", value: region, checked: index === 0 }), " ", region))
        : h("p", { class: "muted" }, chosen ? "This connector lists no regions; its default region is used." : "Choose a connector first."),
      h("p", { class: "hint muted" }, "Test with one account and one region first, then add more."));
  };
  connector.addEventListener("change", showRegions);
  showRegions();
  const variableInputs = (template.variables ?? []).map((variable) => ({
    variable,
    input: h("textarea", { id: `use-var-${variable.name}`, rows: 2 }, JSON.stringify(variable.value)),
  }));
  const fields = [
    field("Flow name", name),
    connectors.length ? field("Connector (account)", connector)
      : h("p", { class: "error" }, "No connector exists yet; a Manager or Admin can add one on the Connectors page."),
    connectors.length ? regions : null,
    variableInputs.length ? h("fieldset", { class: "variables" }, h("legend", {}, "Variables"),
      variableInputs.map(({ variable, input }) => field(`${variable.name} (${variable.type}, JSON)`, input, variable.description))) : null,
  ];
  return formDialog(`Use template: ${template.title}`, fields, {
    id: "use-template-dialog",
    submitLabel: "Create flow",
    onSubmit: async () => {
      if (!name.value.trim()) throw new Error("Give the flow a name.");
      const body = { name: name.value.trim() };
      if (connector.value) {
        const picked = [...regions.querySelectorAll("input[name=region]:checked")].map((box) => box.value);
        body.targets = [{ connector: connector.value, regions: picked }];
      } else if (template.needsConnector) {
        throw new Error("Choose a connector.");
      }
      const variables = {};
      for (const { variable, input } of variableInputs) {
        let value;
        try { value = JSON.parse(input.value); } catch { throw new Error(`The value of ${variable.name} is not JSON.`); }
        if (JSON.stringify(value) !== JSON.stringify(variable.value)) variables[variable.name] = value;
      }
      if (Object.keys(variables).length) body.variables = variables;
      const answer = await api.post(`/api/v1/templates/${encodeURIComponent(template.name)}/instantiate`, body);
      return answer.flow;
    },
  });
}

export async function render(view, params, context) {
  const { api } = context;
  const [listing, connectorList] = await Promise.all([
    api.get("/api/v1/templates"),
    api.get("/api/v1/connectors").catch(() => ({ connectors: [] })),
  ]);
  const connectors = connectorList.connectors;
  const mayCreate = context.can("editFlows");
  view.append(
    h("div", { class: "page-head" }, h("h1", {}, "Templates ", h("span", { class: "count-badge" }, String(listing.templates.length)))),
    h("p", { class: "muted" }, "Start from a template: choose the account and a region, then customise the flow in the editor."),
    h("div", { class: "cards", id: "template-cards" }, listing.templates.map((template) => h("article",
      { class: "card template-card", dataset: { templateName: template.name }, "aria-labelledby": `template-${template.name}` },
      h("h2", { id: `template-${template.name}` }, template.title),
      chips(template.categories),
      h("p", { class: "description" }, template.description),
      h("p", { class: "muted small-text" }, "Nodes: ", (template.nodeTypes ?? []).join(" → "),
        (template.variables ?? []).length ? ` · ${template.variables.length} variable${template.variables.length === 1 ? "" : "s"}` : ""),
      h("div", { class: "card-actions" },
        h("button", { type: "button", "data-action": "preview", "aria-label": `Preview ${template.title}`,
          onclick: () => attempt(() => preview(template, api)) }, "Preview"),
        mayCreate ? h("button", { type: "button", class: "primary", "data-action": "use", "aria-label": `Use template ${template.title}`,
          onclick: async () => {
            const flow = await useTemplate(template, api, connectors);
            if (flow) context.navigate(`/flows/${flow.id}`);
          } }, "Use template") : null)))));
}
