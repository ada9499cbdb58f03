// Connectors (#/connectors): the accounts flows run against. A list for every role; create, edit and
// delete for Managers and Admins (`context.can("manageConnectors")`). AWS connectors use access keys or a
// role ARN with an external id; regions, endpoint and account id are plain fields. Secrets are
// write-only: the API returns them as *****, the form never shows them, and a secret field left empty
// keeps the stored value (PUT leaves it out) unless "remove" is ticked (PUT sends null). Rows carry
// data-connector-id and data-connector-name.

import { h, toast, formatDate, formDialog, field, attempt } from "../ui.js";
import { chips, confirmDelete } from "./pages-kit.js";

const masked = "*****";

const awsRegions = [
  ["US", ["us-east-1", "us-east-2", "us-west-1", "us-west-2"]],
  ["Europe", ["eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1"]],
  ["Asia Pacific", ["ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2"]],
  ["Other", ["ca-central-1", "sa-east-1", "me-south-1", "af-south-1"]],
];

/** Credential fields per provider: key, label, secret (write-only), multi-line. */
const credentialFields = {
  aws: {
    keys: [
      { key: "accessKeyId", label: "Access key id", secret: true },
      { key: "secretAccessKey", label: "Secret access key", secret: true },
      { key: "sessionToken", label: "Session token (optional)", secret: true },
    ],
    role: [
      { key: "roleArn", label: "Role ARN", secret: false, placeholder: "arn:aws:iam::123456789012:role/weft" },
      { key: "externalId", label: "External id", secret: true },
    ],
  },
  azure: [
    { key: "tenantId", label: "Tenant id", secret: false },
    { key: "clientId", label: "Client id", secret: false },
    { key: "clientSecret", label: "Client secret", secret: true },
  ],
  gcp: [
    { key: "serviceAccountKey", label: "Service account key (JSON)", secret: true, multiline: true },
  ],
};

function authenticationText(connector) {
  const credentials = connector.credentials ?? {};
  if (connector.provider !== "aws") return Object.keys(credentials).join(", ") || "—";
  const keys = credentials.accessKeyId !== undefined;
  if (credentials.roleArn) return `${keys ? "Access keys + role " : "Role "}${credentials.roleArn}`;
  if (keys) return "Access keys";
  if (credentials.profile) return `Profile ${credentials.profile}`;
  return "Server's own credentials";
}

/** One credential input; for a stored secret, an empty write-only field and a "remove" checkbox. */
function credentialInput(spec, stored, provider) {
  const id = `connector-${provider}-${spec.key}`;
  const isStored = stored !== undefined && stored !== null;
  const attributes = { id, name: spec.key, autocomplete: spec.secret ? "new-password" : "off", spellcheck: "false" };
  let control;
  if (spec.secret) {
    const placeholder = isStored ? "stored — leave empty to keep" : spec.placeholder ?? "";
    control = spec.multiline
      ? h("textarea", { ...attributes, rows: 4, placeholder })
      : h("input", { ...attributes, type: "password", placeholder });
  } else {
    control = h("input", { ...attributes, value: isStored ? String(stored) : "", placeholder: spec.placeholder ?? "" });
  }
  const remove = spec.secret && isStored
    ? h("input", { type: "checkbox", id: `${id}-remove`, "data-remove": spec.key })
    : null;
  return {
    spec, control, remove,
    element: h("div", { class: "form-row" },
      h("label", { for: id }, spec.label, spec.secret ? h("span", { class: "muted small-text" }, isStored ? " (stored, write-only)" : " (write-only)") : null),
      control,
      remove ? h("label", { class: "choice inline", for: remove.id }, remove, " Remove the stored value") : null),
  };
}

/** The value for a credential on save: a new value, null to clear, or undefined to leave out (keep). */
function credentialValue(input, creating) {
  const value = input.control.value.trim();
  if (value) return value;
  if (input.remove?.checked) return null;
  if (input.spec.secret || creating) return undefined;
  return null;
}

function regionPicker(selected) {
  const known = new Set(awsRegions.flatMap(([, list]) => list));
  const other = h("input", { id: "connector-regions-other", value: selected.filter((region) => !known.has(region)).join(", "),
    placeholder: "e.g. eu-south-2, us-gov-west-1" });
  const box = h("fieldset", { class: "choices regions", id: "connector-regions" }, h("legend", {}, "Regions"),
    awsRegions.map(([group, list]) => h("div", { class: "region-group" }, h("span", { class: "group-name" }, group),
      h("div", { class: "region-options" }, list.map((region) => h("label", { class: "choice" },
        h("input", { type: "checkbox", name: "region", value: region, checked: selected.includes(region) }), " ", region))))),
    field("Other regions (comma-separated)", other));
  return {
    element: box,
    values: () => [
      ...[...box.querySelectorAll("input[name=region]:checked")].map((input) => input.value),
      ...other.value.split(",").map((region) => region.trim()).filter(Boolean),
    ],
  };
}

/** The create / edit dialog; resolves to the saved connector or null. */
function connectorDialog(api, existing) {
  const creating = !existing;
  const credentials = existing?.credentials ?? {};
  const name = h("input", { id: "connector-name", required: true, value: existing?.name ?? "" });
  const provider = h("select", { id: "connector-provider", disabled: !creating },
    ["aws", "azure", "gcp"].map((value) => h("option", { value }, value.toUpperCase())));
  provider.value = existing?.provider ?? "aws";
  const accountId = h("input", { id: "connector-account", value: existing?.accountId ?? "", placeholder: "123456789012" });
  const endpoint = h("input", { id: "connector-endpoint", type: "url", value: existing?.endpoint ?? "",
    placeholder: "optional, e.g. http://127.0.0.1:5000 for a local test cloud" });
  const regions = regionPicker(existing?.regions ?? []);

  const inputs = (list, group) => list.map((spec) => credentialInput(spec, credentials[spec.key], group));
  const awsKeys = inputs(credentialFields.aws.keys, "aws");
  const awsRole = inputs(credentialFields.aws.role, "aws");
  const azure = inputs(credentialFields.azure, "azure");
  const gcp = inputs(credentialFields.gcp, "gcp");
  const usesRole = Boolean(credentials.roleArn);
  const modeKeys = h("input", { type: "radio", name: "aws-auth", id: "connector-auth-keys", value: "keys", checked: !usesRole });
  const modeRole = h("input", { type: "radio", name: "aws-auth", id: "connector-auth-role", value: "role", checked: usesRole });
  const keysLegend = h("legend", {}, "Access keys");
  const roleSet = h("fieldset", { class: "credentials", id: "connector-role-fields" }, h("legend", {}, "Role to assume"),
    awsRole.map((input) => input.element));
  const awsSet = h("div", { class: "provider-fields", "data-provider": "aws" },
    h("fieldset", { class: "choices" }, h("legend", {}, "Authentication"),
      h("label", { class: "choice", for: modeKeys.id }, modeKeys, " Access keys"),
      h("label", { class: "choice", for: modeRole.id }, modeRole, " Assume a role (role ARN and external id)")),
    roleSet,
    h("fieldset", { class: "credentials", id: "connector-key-fields" }, keysLegend, awsKeys.map((input) => input.element)));
  const azureSet = h("fieldset", { class: "provider-fields credentials", "data-provider": "azure" },
    h("legend", {}, "Service principal"), azure.map((input) => input.element));
  const gcpSet = h("fieldset", { class: "provider-fields credentials", "data-provider": "gcp" },
    h("legend", {}, "Service account"), gcp.map((input) => input.element));

  const sync = () => {
    for (const set of [awsSet, azureSet, gcpSet]) set.hidden = set.dataset.provider !== provider.value;
    regions.element.hidden = provider.value !== "aws";
    roleSet.hidden = !modeRole.checked;
    keysLegend.textContent = modeRole.checked ? "Source access keys (optional: else the server's own credentials)" : "Access keys";
  };
  for (const control of [provider, modeKeys, modeRole]) control.addEventListener("change", sync);
  sync();

  const fields = [
    field("Name", name), field("Provider", provider),
    field("Account id", accountId), field("Endpoint", endpoint, "Leave empty for the provider's public endpoints."),
    regions.element, awsSet, azureSet, gcpSet,
  ];
  return formDialog(creating ? "New connector" : `Edit ${existing.name}`, fields, {
    id: "connector-dialog",
    wide: true,
    submitLabel: creating ? "Create" : "Save",
    onSubmit: async () => {
      if (!name.value.trim()) throw new Error("Give the connector a name.");
      const chosen = provider.value;
      const list = chosen === "aws" ? [...awsKeys, ...awsRole] : chosen === "azure" ? azure : gcp;
      const sent = {};
      for (const input of list) {
        let value = credentialValue(input, creating);
        if (chosen === "aws" && !modeRole.checked && awsRole.includes(input)) value = creating ? undefined : null;
        if (value !== undefined) sent[input.spec.key] = value;
      }
      const body = {
        name: name.value.trim(), provider: chosen,
        accountId: accountId.value.trim() || null,
        endpoint: endpoint.value.trim() || null,
        regions: chosen === "aws" ? regions.values() : existing?.regions ?? [],
        credentials: sent,
      };
      const answer = creating
        ? await api.post("/api/v1/connectors", body)
        : await api.put(`/api/v1/connectors/${encodeURIComponent(existing.id)}`, body);
      return answer.connector;
    },
  });
}

export async function render(view, params, context) {
  const { api } = context;
  const mayManage = context.can("manageConnectors");
  const body = h("tbody", { id: "connector-rows" });
  const empty = h("p", { class: "muted empty", hidden: true }, "No connectors yet.");

  async function load() {
    const answer = await api.get("/api/v1/connectors");
    body.replaceChildren(...answer.connectors.map((connector) => h("tr",
      { dataset: { connectorId: connector.id, connectorName: connector.name } },
      h("td", { class: "nowrap" }, h("strong", {}, connector.name)),
      h("td", {}, connector.provider.toUpperCase()),
      h("td", { class: "mono" }, connector.accountId ?? "—"),
      h("td", {}, (connector.regions ?? []).length ? chips(connector.regions) : h("span", { class: "muted" }, "default")),
      h("td", { class: "mono small-text" }, connector.endpoint ?? "—"),
      h("td", { class: "small-text" }, authenticationText(connector)),
      h("td", { class: "nowrap" }, formatDate(connector.updatedAt)),
      mayManage ? h("td", { class: "actions-cell" },
        h("button", { type: "button", class: "small", "data-action": "edit", "aria-label": `Edit ${connector.name}`,
          onclick: async () => { if (await connectorDialog(api, connector)) { toast(`Saved ${connector.name}`, "success"); await attempt(load); } } },
          "Edit"),
        h("button", { type: "button", class: "small danger", "data-action": "delete", "aria-label": `Delete ${connector.name}`,
          onclick: () => remove(connector) }, "Delete")) : null)));
    empty.hidden = answer.connectors.length > 0;
  }

  async function remove(connector) {
    if (!(await confirmDelete(connector.name,
      "Flows that target this connector will fail to run until they are given another one."))) return;
    if ((await attempt(() => api.del(`/api/v1/connectors/${encodeURIComponent(connector.id)}`))) === undefined) return;
    toast(`Deleted ${connector.name}`, "success");
    await attempt(load);
  }

  view.append(
    h("div", { class: "page-head" },
      h("h1", {}, "Connectors"),
      h("span", { class: "spacer" }),
      mayManage ? h("button", { type: "button", class: "primary", id: "new-connector", onclick: async () => {
        const created = await connectorDialog(api, null);
        if (created) { toast(`Created ${created.name}`, "success"); await attempt(load); }
      } }, "New connector") : null),
    h("p", { class: "muted" }, "The cloud accounts flows run against. Secrets are stored sealed and never shown again."),
    h("div", { class: "table-wrap" }, h("table", { id: "connectors-table" },
      h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Provider"), h("th", {}, "Account"), h("th", {}, "Regions"),
        h("th", {}, "Endpoint"), h("th", {}, "Authentication"), h("th", {}, "Updated"), mayManage ? h("th", {}, "Actions") : null)),
      body)),
    empty);
  await load();
}
