// The flow editor page (`#/flows/new`, `#/flows/:id`): toolbar, "Explore nodes" palette, canvas and a
// side panel (a node's form and step details, the flow's details, variables and targets).
//
// Loads the node catalog (node and condition types), the flow (`GET /api/v1/flows/{id}`: flow, latest
// document, deployment) or a new document with its trigger node, the connectors, the known categories
// and the roles table (what the user may do with the flow: ../permissions.js). Save makes a version
// (`POST /api/v1/flows` or `PUT /api/v1/flows/{id}`); a 422 `validation_failed` shows each issue on its
// node. Run and Run till (`POST /api/v1/flows/{id}/runs`, followed by ../run-follower.js) colour the
// nodes live: Run saves unsaved changes first, Run till sends them as a draft (a dry run that makes no
// version; its 422 issues, under `/document`, show on the nodes as Save's do); a flow never saved is
// saved before any run. Leaving with unsaved changes (another route, or closing or reloading the tab)
// asks first. Deploy/Undeploy show the deployed state. Users who may not edit get a read-only editor
// (no palette, no save, no editing menu items). The modules doing the work are under ../editor/; the
// step details tab shows ../step-view.js.

import { closeMenu, openMenu } from "../editor/node-menu.js";
import { Canvas } from "../editor/canvas.js";
import { detailsPanel, targetsPanel, targetsSummary } from "../editor/details.js";
import { FlowModel, NODE_WIDTH, newDocument } from "../editor/model.js";
import { nodeForm } from "../editor/node-form.js";
import { palette as buildPalette } from "../editor/palette.js";
import { stepDetails } from "../editor/step-details.js";
import { variablesPanel } from "../editor/variables.js";
import { flowAbilities } from "../permissions.js";
import { RunFollower } from "../run-follower.js";
import { dialog, field, fill, formatDate, formDialog, h, toast } from "../ui.js";

/** JSONPaths found in sample items, for the key pickers: `$.A`, `$.A.B`, `$.A[*]`, `$.A[*].B`. */
function samplePaths(items) {
  const paths = new Set();
  const walk = (value, prefix, depth) => {
    if (!value || typeof value !== "object" || depth > 2 || paths.size > 300) return;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, 3)) walk(item, `${prefix}[*]`, depth + 1);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      const path = /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${prefix}.${key}` : `${prefix}['${key.replace(/'/g, "\\'")}']`;
      paths.add(path);
      if (Array.isArray(child)) paths.add(`${path}[*]`);
      walk(child, path, depth + 1);
    }
  };
  for (const item of items.slice(0, 5)) walk(item, "$", 0);
  return [...paths].sort();
}

export async function render(view, params, context) {
  const { api } = context;
  view.replaceChildren(h("p", { class: "muted", role: "status" }, "Loading the editor…"));
  const flowId = params.id;
  const [catalog, flowAnswer, connectorsAnswer, categoriesAnswer, rolesAnswer] = await Promise.all([
    api.get("/api/v1/node-types"),
    flowId ? api.get(`/api/v1/flows/${encodeURIComponent(flowId)}`) : Promise.resolve(null),
    api.get("/api/v1/connectors").catch(() => ({ connectors: [] })),
    api.get("/api/v1/flows/categories").catch(() => ({ categories: [] })),
    api.get("/api/v1/roles").catch(() => ({ roles: null })),
  ]);
  const nodeTypes = catalog.nodeTypes ?? [];
  const conditionTypes = catalog.conditionTypes ?? [];
  const connectors = connectorsAnswer.connectors ?? [];
  const knownCategories = (categoriesAnswer.categories ?? []).map((entry) => (typeof entry === "string" ? entry : entry.name)).filter(Boolean);
  let flow = flowAnswer?.flow ?? null;
  let deployment = flowAnswer?.deployment ?? null;
  const abilities = flowAbilities(context.me, flow, rolesAnswer.roles);
  const permissions = { edit: abilities.has("edit"), run: abilities.has("run"), deploy: abilities.has("deploy") };
  const readOnly = !permissions.edit;
  const model = new FlowModel(flowAnswer?.document ?? newDocument(), nodeTypes);

  const state = { selected: null, panel: null, nodeTab: "settings", issues: [], issuesHeading: "", wide: false, shown: "" };
  const issuesByNode = () => {
    const map = new Map();
    for (const issue of state.issues) {
      if (!issue.nodeId) continue;
      if (!map.has(issue.nodeId)) map.set(issue.nodeId, []);
      map.get(issue.nodeId).push(issue);
    }
    return map;
  };

  // Toolbar.
  const title = h("h1", { class: "flow-title", id: "flow-title", "data-testid": "flow-title" });
  const dirtyMark = h("span", { class: "dirty-mark", "data-testid": "dirty-mark", hidden: true }, "● unsaved changes");
  const versionMark = h("span", { class: "muted version-mark", "data-testid": "version-mark" });
  const runStatus = h("span", { class: "run-status", id: "run-status", role: "status", "aria-live": "polite", "data-testid": "run-status" });
  const deployedMark = h("span", { class: "deployed-mark", "data-testid": "deployed-mark" });
  const paletteToggle = readOnly ? null : h("button", { type: "button", id: "toggle-palette", "aria-expanded": "true", "aria-controls": "palette",
    onclick: () => togglePalette() }, "Explore nodes");
  const detailsButton = h("button", { type: "button", id: "open-details", onclick: () => openPanel("details") }, "Details");
  const variablesButton = h("button", { type: "button", id: "open-variables", onclick: () => openPanel("variables") }, "Variables");
  const targetsButton = h("button", { type: "button", id: "open-targets", "data-testid": "open-targets", onclick: () => openPanel("targets") });
  const runButton = permissions.run ? h("button", { type: "button", id: "run", onclick: () => runFlow() }, "▶ Run") : null;
  const deployButton = permissions.deploy ? h("button", { type: "button", id: "deploy", onclick: () => toggleDeploy() }) : null;
  const saveButton = readOnly ? null : h("button", { type: "button", id: "save", class: "primary", onclick: () => save() }, "Save");
  const zoomOut = h("button", { type: "button", class: "icon", "aria-label": "Zoom out", title: "Zoom out", onclick: () => canvas.zoomBy(1 / 1.2) }, "−");
  const zoomIn = h("button", { type: "button", class: "icon", "aria-label": "Zoom in", title: "Zoom in", onclick: () => canvas.zoomBy(1.2) }, "+");
  const fitButton = h("button", { type: "button", "aria-label": "Fit the flow in view", title: "Fit the flow in view", onclick: () => canvas.fit() }, "Fit");
  const tidyButton = readOnly ? null : h("button", { type: "button", id: "tidy", title: "Lay the nodes out left to right",
    onclick: () => { model.tidy(); canvas.fit(); } }, "Tidy layout");
  const toolbar = h("div", { class: "editor-toolbar", role: "toolbar", "aria-label": "Flow editor" },
    paletteToggle, h("div", { class: "title-block" }, title, versionMark, dirtyMark,
      readOnly ? h("span", { class: "read-only-badge", "data-testid": "read-only" }, "Read only") : null),
    detailsButton, variablesButton, targetsButton,
    h("span", { class: "spacer" }),
    runStatus, runButton, deployedMark, deployButton, saveButton);
  const issuesBar = h("div", { class: "editor-issues", id: "editor-issues", "data-testid": "editor-issues", hidden: true });

  // Canvas, palette, side panel.
  const canvas = new Canvas({
    model, readOnly,
    onSelect: (selection) => {
      state.selected = selection?.kind === "node" ? selection.id : null;
      if (state.selected) { state.panel = "node"; drawPanel(); } else if (state.panel === "node") closePanel();
    },
    onMenu: (nodeId, button) => showNodeMenu(nodeId, button),
    onDropType: (type, point) => addNode(type, { x: point.x - NODE_WIDTH / 2, y: point.y - 30 }, { connect: false }),
    onMessage: (text) => toast(text, "error"),
  });
  const paletteView = readOnly ? null : buildPalette({
    nodeTypes,
    onAdd: (type) => addNode(type),
    isAvailable: (type) => (type === "trigger" && model.node("trigger") ? "Already in the flow: a flow has one trigger" : null),
  });
  const sideContent = h("div", { class: "side-content" });
  const sideTitle = h("span", { class: "side-title", id: "side-title" });
  const side = h("aside", { class: "side-panel", id: "side-panel", "aria-labelledby": "side-title", hidden: true, "data-testid": "side-panel" },
    h("div", { class: "side-header" }, sideTitle,
      h("button", { type: "button", class: "small", "aria-label": "Widen or narrow the panel", "data-testid": "widen-panel",
        onclick: () => { state.wide = !state.wide; side.classList.toggle("wide", state.wide); } }, "⇔"),
      h("button", { type: "button", class: "small", id: "close-panel", "aria-label": "Close the panel", onclick: () => closePanel() }, "✕")),
    sideContent);
  const root = h("div", { class: `editor${readOnly ? " read-only" : ""}`, "data-testid": "editor", "data-flow-id": flow?.id ?? "" },
    toolbar, issuesBar,
    h("div", { class: "editor-body" }, paletteView?.element,
      h("div", { class: "canvas-holder" }, canvas.element,
        h("div", { class: "canvas-controls", role: "group", "aria-label": "View" }, zoomOut, zoomIn, fitButton, tidyButton)),
      side));
  view.replaceChildren(root);

  const follower = new RunFollower({ api, onUpdate: () => runUpdated() });

  function togglePalette() {
    const element = paletteView.element;
    element.hidden = !element.hidden;
    paletteToggle.setAttribute("aria-expanded", String(!element.hidden));
    if (!element.hidden) paletteView.focus();
  }

  function updateToolbar() {
    title.textContent = model.doc.name || "Untitled flow";
    dirtyMark.hidden = !model.dirty;
    versionMark.textContent = flow ? `version ${flow.latestVersion}` : "new, not saved";
    targetsButton.textContent = `Targets: ${targetsSummary(model.doc.targets)}`;
    deployedMark.textContent = deployment ? `Deployed v${deployment.version}` : "";
    deployedMark.classList.toggle("deployed", Boolean(deployment));
    deployedMark.title = deployment ? `Deployed ${formatDate(deployment.deployedAt)}` : "";
    if (deployButton) {
      deployButton.textContent = deployment ? "Undeploy" : "Deploy";
      deployButton.disabled = !flow && !permissions.edit;
    }
    root.dataset.flowId = flow?.id ?? "";
  }

  function keySuggestionsFor(nodeId) {
    if (!follower.finished) return [];
    const sources = model.upstream(nodeId).map((node) => node.id);
    const items = [];
    for (const execution of follower.executions) {
      for (const source of sources) {
        const records = follower.stepsOf(execution.id, source);
        const main = records[records.length - 1]?.outputs?.main;
        if (main?.items) items.push(...main.items.slice(0, 5));
      }
      if (items.length) break;
    }
    return samplePaths(items);
  }

  function focusPreserved(draw) {
    const active = document.activeElement;
    const id = active && side.contains(active) ? active.id : null;
    draw();
    if (id) document.getElementById(id)?.focus();
  }

  function drawPanel() {
    closeMenu();
    if (!state.panel) { side.hidden = true; return; }
    side.hidden = false;
    side.classList.toggle("wide", state.wide);
    const key = `${state.panel}:${state.selected}:${state.nodeTab}`;
    const scroll = key === state.shown ? sideContent.scrollTop : 0;
    state.shown = key;
    focusPreserved(() => {
      if (state.panel === "node" && state.selected && model.node(state.selected)) {
        const node = model.node(state.selected);
        sideTitle.textContent = node.name;
        const tabs = [["settings", readOnly ? "Settings" : "Edit"], ["step", "Step details"]];
        const tabList = h("div", { class: "tabs", role: "tablist", "aria-label": `Node ${node.name}` },
          tabs.map(([key, label]) => h("button", {
            type: "button", role: "tab", id: `tab-${key}`, "aria-selected": String(state.nodeTab === key), "aria-controls": "node-tab-panel",
            "data-testid": `tab-${key}`, tabindex: state.nodeTab === key ? "0" : "-1",
            onclick: () => { state.nodeTab = key; drawPanel(); },
            onkeydown: (event) => {
              if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
                state.nodeTab = state.nodeTab === "settings" ? "step" : "settings";
                drawPanel();
                document.getElementById(`tab-${state.nodeTab}`)?.focus();
              }
            },
          }, label)));
        const content = state.nodeTab === "step"
          ? stepDetails({ api, follower, model, nodeId: node.id })
          : nodeForm({ api, model, nodeId: node.id, readOnly, issues: issuesByNode().get(node.id) ?? [],
            keySuggestions: keySuggestionsFor(node.id), conditionTypes, onMessage: (text) => toast(text, "error") });
        sideContent.replaceChildren(tabList, h("div", { role: "tabpanel", id: "node-tab-panel", "aria-labelledby": `tab-${state.nodeTab}` }, content));
      } else if (state.panel === "details") {
        sideTitle.textContent = "Flow";
        sideContent.replaceChildren(detailsPanel({ model, readOnly, categories: knownCategories }));
      } else if (state.panel === "variables") {
        sideTitle.textContent = "Flow";
        sideContent.replaceChildren(variablesPanel({ model, readOnly }));
      } else if (state.panel === "targets") {
        sideTitle.textContent = "Flow";
        sideContent.replaceChildren(targetsPanel({ model, readOnly, connectors }));
      } else {
        state.panel = null;
        side.hidden = true;
      }
    });
    sideContent.scrollTop = scroll;
  }

  function openPanel(panel) {
    state.panel = panel;
    if (panel !== "node") canvas.select(null, { quiet: true });
    drawPanel();
    sideContent.querySelector("input, select, textarea, button")?.focus();
  }

  function closePanel() {
    state.panel = null;
    side.hidden = true;
    if (state.selected) canvas.select(null, { quiet: true });
    state.selected = null;
  }

  function selectNode(id, tab = "settings") {
    state.nodeTab = tab;
    canvas.select({ kind: "node", id }, { focus: true });
    canvas.reveal(id);
  }

  function freeSpotRightOf(node) {
    const base = node.ui?.position ?? { x: 60, y: 60 };
    const spot = { x: base.x + NODE_WIDTH + 90, y: base.y };
    while (model.nodes.some((other) => Math.abs((other.ui?.position?.x ?? 0) - spot.x) < NODE_WIDTH && Math.abs((other.ui?.position?.y ?? 0) - spot.y) < 80)) {
      spot.y += 110;
    }
    return spot;
  }

  function addNode(type, position, { connect = true } = {}) {
    const after = connect && state.selected ? model.node(state.selected) : null;
    const spot = position ?? (after ? freeSpotRightOf(after) : (() => { const c = canvas.center(); return { x: c.x - NODE_WIDTH / 2, y: c.y - 30 }; })());
    const node = model.addNode(type, spot);
    if (typeof node === "string") { toast(node, "error"); return; }
    if (after && model.takesInput(node)) {
      const error = model.addEdge(after.id, node.id, "main");
      if (error) toast(error, "error");
    }
    selectNode(node.id);
  }

  function showNodeMenu(nodeId, button) {
    const node = model.node(nodeId);
    const items = [];
    if (permissions.run) items.push({ label: "Run till this node", testid: "menu-run-till", action: () => runTill(nodeId) });
    items.push({ label: "Step details", testid: "menu-step-details", action: () => selectNode(nodeId, "step") });
    if (!readOnly) {
      items.push({ label: "Rename", testid: "menu-rename", action: () => rename(nodeId) });
      if (node.type !== "trigger") {
        items.push({ label: "Duplicate", testid: "menu-duplicate", action: () => {
          const copy = model.duplicateNode(nodeId);
          if (typeof copy === "string") toast(copy, "error"); else selectNode(copy.id);
        } });
        items.push({ label: "Delete", testid: "menu-delete", danger: true, action: () => {
          const error = model.removeNode(nodeId);
          if (error) toast(error, "error"); else canvas.element.focus();
        } });
      }
    }
    openMenu(button, items);
  }

  async function rename(nodeId) {
    const node = model.node(nodeId);
    const input = h("input", { id: "rename-input", value: node.name, autocomplete: "off", required: true, "data-testid": "rename-input" });
    setTimeout(() => input.select(), 0);
    const renamed = await formDialog(`Rename ${node.name}`, [field("New name", input)], {
      submitLabel: "Rename",
      onSubmit: () => {
        const problem = model.renameNode(nodeId, input.value);
        if (problem) throw new Error(problem);
      },
    });
    if (renamed && state.panel === "node" && state.selected === nodeId) drawPanel();
  }

  function showIssues() {
    canvas.setIssues(new Map([...issuesByNode()].map(([id, list]) => [id, list.map((issue) => issue.message)])));
    issuesBar.hidden = !state.issues.length;
    if (!state.issues.length) { issuesBar.replaceChildren(); return; }
    fill(issuesBar,
      h("strong", {}, `${state.issuesHeading}: ${state.issues.length} problem${state.issues.length > 1 ? "s" : ""}.`),
      h("ul", {}, state.issues.map((issue) => {
        const node = issue.nodeId ? model.node(issue.nodeId) : null;
        return h("li", { "data-testid": "issue" },
          node ? h("button", { type: "button", class: "link", onclick: () => selectNode(node.id) }, node.name) : h("span", { class: "mono" }, issue.pointer),
          ": ", issue.message);
      })),
      h("button", { type: "button", class: "small", "aria-label": "Hide the problems", onclick: () => { issuesBar.hidden = true; } }, "Hide"));
  }

  /** Shows validation issues (pointers into the flow document) on their nodes, under `heading`. */
  function setIssues(issues, heading = "The flow was not saved") {
    state.issuesHeading = heading;
    const saved = model.toDocument();
    state.issues = issues.map((issue) => {
      let nodeId = issue.nodeId;
      const match = /^\/nodes\/(\d+)/.exec(issue.pointer ?? "");
      if (!nodeId && match) nodeId = saved.nodes[Number(match[1])]?.id;
      return { ...issue, nodeId: nodeId && model.node(nodeId) ? nodeId : null, pointer: issue.pointer ?? "" };
    });
    showIssues();
    if (state.panel === "node") drawPanel();
  }

  async function save() {
    if (readOnly) return false;
    if (!model.doc.name?.trim()) {
      toast("Give the flow a name first.", "error");
      openPanel("details");
      document.getElementById("flow-name")?.focus();
      return false;
    }
    const flowDocument = model.toDocument();
    saveButton.disabled = true;
    try {
      if (!flow) {
        const answer = await api.post("/api/v1/flows", flowDocument);
        flow = answer.flow;
        history.replaceState(null, "", `#/flows/${encodeURIComponent(flow.id)}`);
      } else {
        const answer = await api.put(`/api/v1/flows/${encodeURIComponent(flow.id)}`, flowDocument);
        flow = answer.flow ?? flow;
        if (answer.version?.version) flow.latestVersion = answer.version.version;
      }
      model.dirty = false;
      setIssues([]);
      updateToolbar();
      toast(`Saved: version ${flow.latestVersion}`, "success");
      return true;
    } catch (error) {
      if (error.code === "validation_failed" && Array.isArray(error.details?.issues)) {
        setIssues(error.details.issues);
        toast(error.message, "error");
      } else {
        toast(error.message, "error");
      }
      return false;
    } finally {
      saveButton.disabled = false;
    }
  }

  function needsTargets() {
    return !model.doc.targets?.length && model.nodes.some((node) => /^(aws|azure|gcp)\./.test(node.type));
  }

  /**
   * Starts a run of the flow. With unsaved changes, a run till sends the draft (a dry run, no version
   * made) and a whole run saves first; a flow never saved is saved first either way.
   */
  async function startRun(body) {
    if (needsTargets()) {
      toast("Choose a target (connector and region) before running cloud nodes.", "error");
      openPanel("targets");
      return;
    }
    const draft = !readOnly && Boolean(flow) && model.dirty && Boolean(body.runTill);
    if (!readOnly && !draft && (model.dirty || !flow)) {
      if (!(await save())) return;
    }
    if (!flow) return;
    if (model.doc.targets?.length) body.targets = model.doc.targets;
    if (draft) body.document = model.toDocument();
    try {
      await follower.start(flow.id, body);
      if (draft) setIssues([]);
    } catch (error) {
      if (draft && error.code === "validation_failed" && Array.isArray(error.details?.issues)) {
        setIssues(error.details.issues.map((issue) => ({ ...issue, pointer: (issue.pointer ?? "").replace(/^\/document(?=\/|$)/, "") })),
          "The draft was not run");
      }
      toast(error.message, "error");
    }
  }

  function runTill(nodeId) { return startRun({ runTill: nodeId }); }
  function runFlow() { return startRun({}); }

  async function toggleDeploy() {
    if (!deployment && !readOnly && (model.dirty || !flow)) {
      if (!(await save())) return;
    }
    if (!flow) return;
    try {
      if (deployment) {
        await api.post(`/api/v1/flows/${encodeURIComponent(flow.id)}/undeploy`, {});
        deployment = null;
        toast("Undeployed: schedules, events and scans no longer start this flow.", "info");
      } else {
        const answer = await api.post(`/api/v1/flows/${encodeURIComponent(flow.id)}/deploy`, {});
        deployment = answer.deployment;
        toast(`Deployed version ${deployment?.version ?? ""}.`, "success");
      }
    } catch (error) {
      toast(error.message, "error");
    }
    updateToolbar();
  }

  let wasFinished = false;
  function runUpdated() {
    canvas.setStatuses(follower.statuses);
    const run = follower.run;
    if (!run) { runStatus.replaceChildren(); return; }
    const counts = follower.executions.map((execution) => execution.summary ?? {}).reduce((sum, summary) => ({
      passed: sum.passed + (summary.passed ?? 0), failed: sum.failed + (summary.failed ?? 0),
    }), { passed: 0, failed: 0 });
    const status = follower.finished ? run.status : "running";
    fill(runStatus,
      h("span", { class: `dot status-${status}` }),
      h("a", { href: `#/runs/${encodeURIComponent(run.id)}`, "data-testid": "run-link", "data-run-status": status },
        `${run.options?.runTill ? "Run till" : "Run"}: ${follower.finished ? run.status : "running…"}`),
      follower.finished && (counts.passed || counts.failed) ? h("span", { class: "muted", title: `${counts.passed} passed, ${counts.failed} failed` },
        ` ${counts.passed}✔ ${counts.failed}✘`) : null);
    if (follower.finished && !wasFinished) {
      wasFinished = true;
      if (state.panel === "node") drawPanel();
      if (run.status !== "success") toast(`The run ended ${run.status}.`, "error");
    }
    if (!follower.finished) wasFinished = false;
  }

  const unsubscribe = model.onChange((reason) => {
    updateToolbar();
    if (reason === "nodes") {
      paletteView?.refresh();
      if (state.selected && !model.node(state.selected)) closePanel();
    }
    if (reason === "edges" && state.panel === "node") drawPanel();
  });

  const keys = (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      if (!readOnly) save();
    }
  };
  document.addEventListener("keydown", keys);

  const warnBeforeUnload = (event) => {
    if (!model.dirty) return;
    event.preventDefault();
    event.returnValue = "";
  };
  window.addEventListener("beforeunload", warnBeforeUnload);

  /** Lets the user leave the editor: at once without unsaved changes, else when they confirm it. */
  async function canLeave() {
    if (!model.dirty) return true;
    const answer = await dialog("Leave without saving?",
      h("p", {}, `${model.doc.name ? `The flow “${model.doc.name}”` : "This flow"} has unsaved changes. They are lost if you leave the editor now.`),
      [{ label: "Stay in the editor", value: false }, { label: "Leave without saving", value: true, class: "danger" }]);
    return answer === true;
  }

  canvas.render();
  updateToolbar();
  requestAnimationFrame(() => canvas.fit());
  if (!flow && !readOnly) openPanel("details");

  const cleanup = () => {
    document.removeEventListener("keydown", keys);
    window.removeEventListener("beforeunload", warnBeforeUnload);
    unsubscribe();
    follower.close();
    canvas.destroy();
    closeMenu();
  };
  return { cleanup, canLeave };
}
