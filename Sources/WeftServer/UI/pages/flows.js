// The flows list (#/flows?q=&category=): total count, search by name, category filter, status, last
// executed, the last three executions as coloured dots, deployed state, the controls that use each flow,
// row actions (run, edit, clone, export, delete, executions), multi-select export of up to 10 flows,
// "New flow" and the import wizard. Each row carries data-flow-id and data-flow-name. Controls the user's
// role (and grants) do not allow are left out; the server still decides.

import { h, toast, fill, formatDate, statusDot, statusLabel, isActive, attempt } from "../ui.js";
import { flowAbilities } from "../permissions.js";
import { actionMenu, hashQuery, replaceHashQuery, chips, confirmDelete, hasGrant } from "./pages-kit.js";
import { exportFlows, importWizard, maxExportFlows } from "./flows-exchange.js";

let rolesTable = null;

async function loadRoles(api) {
  if (!rolesTable) rolesTable = (await api.get("/api/v1/roles").catch(() => ({ roles: null }))).roles;
  return rolesTable;
}

export async function render(view, params, context) {
  const { api, me } = context;
  const query = hashQuery();
  const selected = new Set();
  let flows = [];
  let refreshTimer = null;
  let searchTimer = null;
  let loads = 0;

  const total = h("span", { id: "flows-total", class: "count-badge", "aria-label": "total flows" }, "…");
  const search = h("input", { type: "search", id: "flows-search", placeholder: "Search by name",
    "aria-label": "Search flows by name", value: query.get("q") ?? "" });
  const category = h("select", { id: "flows-category", "aria-label": "Category" },
    h("option", { value: "" }, "All categories"));
  const exportButton = hasGrant(me, "export")
    ? h("button", { type: "button", id: "export-selected", disabled: true, onclick: exportSelected }, "Export selected")
    : null;
  const importButton = hasGrant(me, "import") && context.can("editFlows")
    ? h("button", { type: "button", id: "import-flows", onclick: openImport }, "Import")
    : null;
  const newButton = context.can("editFlows")
    ? h("button", { type: "button", id: "new-flow", class: "primary", onclick: () => context.navigate("/flows/new") }, "New flow")
    : null;
  const selectAll = exportButton
    ? h("input", { type: "checkbox", id: "select-all-flows", "aria-label": `Select up to ${maxExportFlows} flows`, onchange: toggleAll })
    : null;
  const body = h("tbody", { id: "flows-rows" });
  const empty = h("p", { id: "flows-empty", class: "muted empty", hidden: true });
  let table = null;

  view.append(
    h("div", { class: "page-head" },
      h("h1", {}, "Flows ", total),
      h("span", { class: "spacer" }),
      importButton, newButton),
    h("div", { class: "toolbar" }, search, category, h("span", { class: "spacer" }), exportButton),
    h("div", { class: "table-wrap" },
      table = h("table", { class: "flows-table", id: "flows-table" },
        h("thead", {}, h("tr", {},
          exportButton ? h("th", { class: "select-col" }, selectAll) : null,
          h("th", {}, "Name"), h("th", {}, "Status"), h("th", {}, "Last executed"),
          h("th", { title: "the last three executions, newest first" }, "Last 3"),
          h("th", {}, "Deployed"), h("th", {}, "Controls"), h("th", { class: "actions-col" }, "Actions"))),
        body)),
    empty);

  async function loadCategories() {
    const answer = await api.get("/api/v1/flows/categories").catch(() => ({ categories: [] }));
    const current = query.get("category") ?? "";
    const known = answer.categories.some((entry) => entry.name === current);
    fill(category, h("option", { value: "" }, "All categories"),
      ...answer.categories.map((entry) => h("option", { value: entry.name }, `${entry.name} (${entry.flows})`)),
      current && !known ? h("option", { value: current }, current) : null);
    category.value = current;
  }

  async function load() {
    const parameters = new URLSearchParams();
    if (search.value.trim()) parameters.set("q", search.value.trim());
    if (category.value) parameters.set("category", category.value);
    const ticket = ++loads;
    const roles = await loadRoles(api);
    const answer = await api.get(`/api/v1/flows${parameters.size ? `?${parameters}` : ""}`);
    if (ticket !== loads) return;
    flows = answer.flows;
    total.textContent = String(answer.total ?? flows.length);
    for (const id of [...selected]) if (!flows.some((flow) => flow.id === id)) selected.delete(id);
    const focused = document.activeElement?.closest?.("#flows-rows tr");
    const focusedAction = focused && (document.activeElement.dataset.action ?? (document.activeElement.matches(".select-flow") ? "select" : null));
    body.replaceChildren(...flows.map((flow) => row(flow, flowAbilities(me, flow, roles))));
    if (focused && focusedAction) {
      const again = [...body.children].find((line) => line.dataset.flowId === focused.dataset.flowId);
      again?.querySelector(focusedAction === "select" ? ".select-flow" : `[data-action="${focusedAction}"]`)?.focus();
    }
    empty.hidden = flows.length > 0;
    empty.textContent = parameters.size ? "No flows match this search." : "No flows yet.";
    updateSelection();
    table.dataset.loads = String(Number(table.dataset.loads ?? 0) + 1);
    clearTimeout(refreshTimer);
    if (flows.some((flow) => (flow.lastExecutions ?? []).some((execution) => isActive(execution.status)))) {
      refreshTimer = setTimeout(refreshWhenIdle, 2000);
    }
  }

  function refreshWhenIdle() {
    const busy = document.querySelector(".action-menu:popover-open, dialog[open]");
    if (busy) refreshTimer = setTimeout(refreshWhenIdle, 1000);
    else load().catch(() => {});
  }

  function row(flow, abilities) {
    const name = flow.name;
    const last = flow.lastExecutions ?? [];
    const action = (label, key, handler) =>
      h("button", { type: "button", class: "small", "data-action": key,
        "aria-label": `${label} ${name}`, title: `${label} ${name}`, onclick: handler }, label);
    const checkbox = exportButton
      ? h("td", { class: "select-col" }, h("input", { type: "checkbox", class: "select-flow", "aria-label": `Select ${name}`,
        checked: selected.has(flow.id), onchange: (event) => select(flow.id, event.target) }))
      : null;
    return h("tr", { dataset: { flowId: flow.id, flowName: name } },
      checkbox,
      h("td", { class: "name-col" },
        h("a", { href: `#/flows/${encodeURIComponent(flow.id)}`, class: "flow-name" }, name),
        chips(flow.categories), (flow.tags ?? []).length ? chips(flow.tags, "pill tag") : null),
      h("td", { class: "status-col" }, statusDot(flow.lastStatus), " ", statusLabel(flow.lastStatus)),
      h("td", { class: "nowrap" }, formatDate(flow.lastExecutedAt)),
      h("td", { class: "last-executions", "data-testid": "last-executions" },
        last.length ? last.map((execution) => h("a", { href: `#/runs/${encodeURIComponent(execution.runId)}`, class: "dot-link" },
          statusDot(execution.status, `${statusLabel(execution.status)} · ${execution.connector ?? ""} ${execution.region ?? ""} · ${formatDate(execution.startedAt)}`)))
          : h("span", { class: "muted" }, "—")),
      h("td", { class: "deployed-col" },
        h("span", { class: `badge ${flow.deployed ? "ok" : ""}`, "data-testid": "deployed" }, flow.deployed ? "Deployed" : "No")),
      h("td", { class: "controls-col" }, (flow.controls ?? []).length ? chips(flow.controls, "pill control") : h("span", { class: "muted" }, "—")),
      h("td", { class: "actions-cell" },
        abilities.has("run") ? action("Run", "run", () => run(flow)) : null,
        abilities.has("edit") ? action("Edit", "edit", () => context.navigate(`/flows/${flow.id}`)) : null,
        actionMenu(`More actions for ${name}`, [
          hasGrant(me, "clone") && context.can("editFlows") ? { label: "Clone", action: "clone", onSelect: () => clone(flow) } : null,
          hasGrant(me, "export") ? { label: "Export", action: "export", onSelect: () => attempt(() => exportFlows([flow.id])) } : null,
          abilities.has("deploy") ? { label: flow.deployed ? "Undeploy" : "Deploy", action: flow.deployed ? "undeploy" : "deploy",
            onSelect: () => deploy(flow) } : null,
          { label: "Executions", action: "executions", onSelect: () => context.navigate(`/executions/${flow.id}`) },
          abilities.has("delete") ? { label: "Delete", action: "delete", onSelect: () => remove(flow), danger: true } : null,
        ])));
  }

  function select(id, checkbox) {
    if (checkbox.checked) {
      if (selected.size >= maxExportFlows) {
        checkbox.checked = false;
        toast(`Export at most ${maxExportFlows} flows at a time.`, "error");
        return;
      }
      selected.add(id);
    } else {
      selected.delete(id);
    }
    updateSelection();
  }

  function toggleAll() {
    if (selectAll.checked) {
      for (const flow of flows) { if (selected.size >= maxExportFlows) break; selected.add(flow.id); }
      if (flows.length > maxExportFlows) toast(`Selected the first ${maxExportFlows} flows (the most one export holds).`);
    } else {
      selected.clear();
    }
    for (const line of body.querySelectorAll("tr")) {
      const box = line.querySelector(".select-flow");
      if (box) box.checked = selected.has(line.dataset.flowId);
    }
    updateSelection();
  }

  function updateSelection() {
    if (!exportButton) return;
    exportButton.disabled = selected.size === 0;
    exportButton.textContent = selected.size ? `Export selected (${selected.size})` : "Export selected";
    if (selectAll) selectAll.checked = selected.size > 0 && selected.size >= Math.min(flows.length, maxExportFlows);
  }

  async function exportSelected() {
    await attempt(() => exportFlows([...selected]));
  }

  async function openImport() {
    const count = await importWizard();
    if (count > 0) { await loadCategories(); await attempt(load); }
  }

  async function run(flow) {
    const answer = await attempt(() => api.post(`/api/v1/flows/${encodeURIComponent(flow.id)}/runs`, {}));
    if (!answer) return;
    toast(`Started a run of ${flow.name}`, "success");
    await attempt(load);
  }

  async function clone(flow) {
    const answer = await attempt(() => api.post(`/api/v1/flows/${encodeURIComponent(flow.id)}/clone`, {}));
    if (!answer) return;
    toast(`Cloned as ${answer.flow.name}`, "success");
    await attempt(load);
  }

  async function deploy(flow) {
    const path = `/api/v1/flows/${encodeURIComponent(flow.id)}/${flow.deployed ? "undeploy" : "deploy"}`;
    if (!(await attempt(() => api.post(path, {})))) return;
    toast(`${flow.name} ${flow.deployed ? "undeployed" : "deployed"}`, "success");
    await attempt(load);
  }

  async function remove(flow) {
    if (!(await confirmDelete(flow.name,
      "The flow and all its versions are deleted; its past runs stay in the execution history."))) return;
    if ((await attempt(() => api.del(`/api/v1/flows/${encodeURIComponent(flow.id)}`))) === undefined) return;
    toast(`Deleted ${flow.name}`, "success");
    selected.delete(flow.id);
    await loadCategories();
    await attempt(load);
  }

  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      replaceHashQuery({ q: search.value.trim(), category: category.value });
      attempt(load);
    }, 250);
  });
  category.addEventListener("change", () => {
    replaceHashQuery({ q: search.value.trim(), category: category.value });
    attempt(load);
  });

  await loadCategories();
  await attempt(load);
  return () => { clearTimeout(refreshTimer); clearTimeout(searchTimer); };
}
