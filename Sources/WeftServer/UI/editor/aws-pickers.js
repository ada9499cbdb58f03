// Service, operation, parameters and addons pickers for the AWS nodes (`aws.resource`, `aws.action`,
// `aws.raw`), from the AWS catalog routes:
//   GET /api/v1/node-types/aws/services                          → every service
//   GET /api/v1/node-types/aws/services/{service}                → its operations (read or mutating, friendly names)
//   GET /api/v1/node-types/aws/services/{service}/operations/{op} → input shape, paginator, addons
//
// `awsSection({api, nodeType, params, onChange, readOnly, idPrefix})` returns an element editing
// `params.service`, `params.operation`, `params.parameters` and (resource nodes) `params.addons` (at
// most 2) in place, calling `onChange()` after each edit. Resource nodes list read operations, action
// nodes mutating ones, RAW nodes both. Catalog answers are cached for the page's life.

import { fill, h } from "../ui.js";

const cache = new Map();

function cached(api, path) {
  if (!cache.has(path)) cache.set(path, api.get(path).catch((error) => { cache.delete(path); throw error; }));
  return cache.get(path);
}

const MAX_ADDONS = 2;

export function awsSection({ api, nodeType, params, onChange, readOnly = false, idPrefix = "aws" }) {
  const kind = nodeType.type.split(".").pop();
  const element = h("div", { class: "aws-section", "data-testid": "aws-section" });
  const serviceList = h("datalist", { id: `${idPrefix}-services` });
  const service = h("input", {
    id: `${idPrefix}-service`, list: serviceList.id, value: params.service ?? "", autocomplete: "off", disabled: readOnly,
    placeholder: "e.g. rds, ec2, s3", "data-testid": "aws-service", "aria-describedby": `${idPrefix}-service-help`,
  });
  const serviceName = h("small", { class: "help", id: `${idPrefix}-service-help` }, "The service, by its botocore name.");
  const operation = h("select", { id: `${idPrefix}-operation`, disabled: true, "data-testid": "aws-operation" });
  const operationHelp = h("small", { class: "help", id: `${idPrefix}-operation-help` },
    kind === "resource" ? "Read operations (Describe…, List…, Get…)." : kind === "action" ? "Operations that change resources." : "Any operation of the service.");
  operation.setAttribute("aria-describedby", operationHelp.id);
  const parametersBox = h("div", { class: "aws-parameters" });
  const addonsBox = h("div", { class: "aws-addons" });
  let services = [];
  let loadedService = null;

  fill(element,
    h("div", { class: "field", "data-pointer": "/service" }, h("label", { for: service.id }, "Service *"), service, serviceList, serviceName),
    h("div", { class: "field", "data-pointer": "/operation" }, h("label", { for: operation.id }, "Method (operation) *"), operation, operationHelp),
    kind === "resource" ? addonsBox : null,
    parametersBox);

  cached(api, "/api/v1/node-types/aws/services").then((answer) => {
    services = answer.services ?? [];
    serviceList.replaceChildren(...services.map((entry) => h("option", { value: entry.name }, entry.fullName)));
    describeService();
    if (service.value.trim() !== (params.service ?? "") && services.some((entry) => entry.name === service.value.trim())) serviceChosen();
  }).catch((error) => {
    serviceName.textContent = `The AWS catalog is unavailable (${error.message}); type the service and operation names.`;
  });

  function describeService() {
    const found = services.find((entry) => entry.name === service.value.trim());
    serviceName.textContent = found ? `${found.fullName} (${found.protocol})` : "The service, by its botocore name.";
    return found;
  }

  async function loadService(name, { keep = true } = {}) {
    if (!name || loadedService === name) return;
    loadedService = name;
    operation.disabled = true;
    operation.replaceChildren(h("option", { value: "" }, "Loading operations…"));
    let answer;
    try {
      answer = await cached(api, `/api/v1/node-types/aws/services/${encodeURIComponent(name)}`);
    } catch (error) {
      operation.replaceChildren(h("option", { value: params.operation ?? "" }, params.operation ?? `No operations: ${error.message}`));
      operation.disabled = readOnly;
      return;
    }
    if (loadedService !== name) return;
    const operations = (answer.operations ?? []).filter((entry) => kind === "raw" || (kind === "resource" ? entry.read : !entry.read));
    const option = (entry) => h("option", { value: entry.operation, selected: entry.operation === params.operation },
      `${entry.name} (${entry.operation})`);
    const groups = kind === "raw"
      ? [h("optgroup", { label: "Read" }, operations.filter((entry) => entry.read).map(option)),
        h("optgroup", { label: "Change" }, operations.filter((entry) => !entry.read).map(option))]
      : operations.map(option);
    operation.replaceChildren(h("option", { value: "" }, "Choose an operation…"), ...groups);
    if (keep && params.operation && !operations.some((entry) => entry.operation === params.operation)) {
      operation.append(h("option", { value: params.operation, selected: true }, `${params.operation} (not in the catalog)`));
    }
    operation.disabled = readOnly;
    if (params.operation) loadOperation(name, params.operation);
  }

  async function loadOperation(serviceName, operationName) {
    parametersBox.replaceChildren(h("p", { class: "muted" }, "Loading the operation…"));
    addonsBox.replaceChildren();
    let detail;
    try {
      detail = await cached(api, `/api/v1/node-types/aws/services/${encodeURIComponent(serviceName)}/operations/${encodeURIComponent(operationName)}`);
    } catch (error) {
      parametersBox.replaceChildren(h("p", { class: "muted" }, `No input shape: ${error.message}`));
      return;
    }
    if (params.service !== serviceName || params.operation !== operationName) return;
    if (kind === "resource") drawAddons(detail.addons ?? []);
    drawParameters(detail);
  }

  function drawAddons(addons) {
    const chosen = () => params.addons ?? [];
    const boxes = [];
    const refresh = () => {
      const full = chosen().length >= MAX_ADDONS;
      for (const box of boxes) box.disabled = readOnly || (!box.checked && full);
      count.textContent = `${chosen().length} of at most ${MAX_ADDONS} selected`;
    };
    const count = h("small", { class: "help", id: `${idPrefix}-addons-count`, "aria-live": "polite" });
    const rows = addons.map((addon) => {
      const id = `${idPrefix}-addon-${addon.name}`;
      const box = h("input", { type: "checkbox", id, checked: chosen().includes(addon.name), "data-testid": `aws-addon-${addon.name}`,
        "aria-describedby": count.id,
        onchange: () => {
          const next = chosen().filter((name) => name !== addon.name);
          if (box.checked) next.push(addon.name);
          if (next.length > MAX_ADDONS) { box.checked = false; return; }
          if (next.length) params.addons = next; else delete params.addons;
          refresh();
          onChange();
        } });
      boxes.push(box);
      return h("div", { class: "field check" }, box, h("label", { for: id }, addon.name),
        h("small", { class: "help" }, `${addon.summary ?? ""} (${addon.relatedService}:${addon.relatedOperation})`));
    });
    const unknown = chosen().filter((name) => !addons.some((addon) => addon.name === name));
    addonsBox.replaceChildren(h("fieldset", { class: "field", "data-pointer": "/addons" },
      h("legend", {}, "Addons"),
      h("small", { class: "help" }, "Related resources attached to each item under their name (max 2 items)."),
      rows.length ? rows : h("p", { class: "muted" }, "No addons for this operation."),
      unknown.length ? h("p", { class: "error" }, `Not offered here: ${unknown.join(", ")}`) : null,
      count));
    refresh();
  }

  function drawParameters(detail) {
    const shape = detail.input ?? {};
    const paging = new Set(kind === "resource" && detail.paginator
      ? [detail.paginator.input_token, detail.paginator.limit_key].flat().filter(Boolean) : []);
    const required = new Set(shape.required ?? []);
    const members = Object.entries(shape.members ?? {}).filter(([name]) => !paging.has(name));
    const values = () => params.parameters ?? {};
    const set = (name, value) => {
      const next = { ...values() };
      if (value === undefined) delete next[name]; else next[name] = value;
      if (Object.keys(next).length) params.parameters = next; else delete params.parameters;
      onChange();
    };
    const rows = members.map(([name, member]) => {
      const id = `${idPrefix}-parameter-${name}`;
      const current = values()[name];
      let control;
      if (member.enum) {
        control = h("select", { id, disabled: readOnly, onchange: () => set(name, control.value || undefined) },
          h("option", { value: "" }, "(not set)"), member.enum.map((value) => h("option", { value, selected: current === value }, value)));
      } else if (member.type === "boolean") {
        control = h("select", { id, disabled: readOnly, onchange: () => set(name, control.value === "" ? undefined : control.value === "true") },
          h("option", { value: "" }, "(not set)"), h("option", { value: "true", selected: current === true }, "true"),
          h("option", { value: "false", selected: current === false }, "false"));
      } else if (["string", "integer", "long", "double", "float", "timestamp"].includes(member.type) && typeof current !== "object") {
        const numeric = ["integer", "long", "double", "float"].includes(member.type);
        control = h("input", { id, value: current ?? "", disabled: readOnly, autocomplete: "off",
          placeholder: numeric ? "number or $wf.variables:name" : member.type === "timestamp" ? "ISO 8601" : "",
          oninput: () => {
            const text = control.value.trim();
            set(name, text === "" ? undefined : numeric && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);
          } });
      } else {
        control = h("textarea", { id, class: "json-input", rows: "2", disabled: readOnly, spellcheck: "false",
          placeholder: member.type === "list" ? "[…] JSON" : "{…} JSON" });
        control.value = current === undefined ? "" : JSON.stringify(current);
        control.addEventListener("input", () => {
          const text = control.value.trim();
          if (!text) { control.removeAttribute("aria-invalid"); set(name, undefined); return; }
          try { set(name, JSON.parse(text)); control.removeAttribute("aria-invalid"); } catch { control.setAttribute("aria-invalid", "true"); }
        });
      }
      return h("div", { class: "field", "data-pointer": `/parameters/${name}` },
        h("label", { for: id }, name, required.has(name) ? " *" : "", h("span", { class: "muted type-hint" }, ` ${member.type}`)), control);
    });
    parametersBox.replaceChildren(h("details", { class: "field object-field", open: Object.keys(values()).length > 0 || required.size > 0,
      "data-pointer": "/parameters" },
    h("summary", {}, "Additional parameters"),
    h("small", { class: "help" }, kind === "resource"
      ? "Request parameters narrowing the results; the paging parameters are filled in by the node. Variables are allowed."
      : "Request parameters; templates such as {{ $.GroupId }} are filled in per item."),
    rows.length ? rows : h("p", { class: "muted" }, "This operation takes no parameters.")));
  }

  const serviceChosen = () => {
    const name = service.value.trim();
    if (name === (params.service ?? "")) return;
    if (name) params.service = name; else delete params.service;
    delete params.operation;
    delete params.parameters;
    delete params.addons;
    parametersBox.replaceChildren();
    addonsBox.replaceChildren();
    onChange();
    describeService();
    if (services.length === 0 || services.some((entry) => entry.name === name)) loadService(name, { keep: false });
  };
  service.addEventListener("change", serviceChosen);
  service.addEventListener("input", () => {
    if (services.some((entry) => entry.name === service.value.trim())) serviceChosen();
  });
  operation.addEventListener("change", () => {
    if (operation.value) params.operation = operation.value; else delete params.operation;
    delete params.parameters;
    delete params.addons;
    onChange();
    if (params.operation) loadOperation(params.service, params.operation);
    else { parametersBox.replaceChildren(); addonsBox.replaceChildren(); }
  });

  if (params.service) loadService(params.service);
  return element;
}
