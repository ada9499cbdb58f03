// One run (#/runs/:runId): the run, its executions (one per target), and per execution its steps (node,
// status, duration, items, error), each opening its details (../step-view.js: input and output JSON
// trees, findings, explain trace, logs), and the execution's report files. Buttons: Cancel (while
// running), Retry all, Re-run failed targets only, Retry from a node. While the run is active the page
// follows it live (../run-follower.js: server-sent events, with polling as the fallback) and reads it
// again after each change.

import { flowAbilities } from "../permissions.js";
import { RunFollower } from "../run-follower.js";
import { stepView } from "../step-view.js";
import { h, toast, fill, formatDate, statusDot, statusLabel, duration, isActive, errorText, attempt } from "../ui.js";

/** The latest record of each (node, attempt, iteration), in the order the steps started. */
function latestSteps(journal) {
  const byKey = new Map();
  for (const step of journal) byKey.set(`${step.nodeId}#${step.attempt}#${step.iteration}`, step);
  return [...byKey.entries()].map(([key, step]) => ({ key, step }));
}

function itemsText(counts) {
  const entries = Object.entries(counts ?? {});
  const input = counts?.in;
  const outputs = entries.filter(([name]) => name !== "in").map(([name, count]) => (name === "main" ? String(count) : `${name} ${count}`));
  return `${input ?? 0} → ${outputs.length ? outputs.join(", ") : "—"}`;
}

export async function render(view, params, context) {
  const { api } = context;
  const runId = params.runId;
  const openSteps = new Set();
  const content = h("div", { id: "run-content" });
  let nodes = new Map();
  let abilities = null;
  let reloadTimer = null;
  let painted = "";
  let closed = false;
  view.append(content);

  async function loadFlowContext(run) {
    if (!run.flowId) return;
    try {
      const [version, flow, roles] = await Promise.all([
        run.flowVersion ? api.get(`/api/v1/flows/${encodeURIComponent(run.flowId)}/versions/${run.flowVersion}`) : null,
        api.get(`/api/v1/flows/${encodeURIComponent(run.flowId)}`),
        api.get("/api/v1/roles").catch(() => ({ roles: null })),
      ]);
      const document = version?.version?.document ?? flow.document;
      nodes = new Map((document?.nodes ?? []).map((node) => [node.id, node]));
      abilities = flowAbilities(context.me, flow.flow, roles.roles);
    } catch {
      abilities = null;
    }
  }

  function nodeLabel(nodeId) {
    const node = nodes.get(nodeId);
    return h("span", {}, node?.name ?? nodeId, node ? h("span", { class: "muted small-text" }, ` ${node.type}`) : null);
  }

  /** Reads the run, its step journals and report files, and paints them when they changed; an ended run is followed no more. */
  async function load() {
    const answer = await api.get(`/api/v1/runs/${encodeURIComponent(runId)}`);
    const journals = await Promise.all(answer.executions.map(async (execution) => {
      const [steps, artifacts] = await Promise.all([
        api.get(`/api/v1/executions/${encodeURIComponent(execution.id)}/steps`).catch(() => ({ steps: [] })),
        api.get(`/api/v1/executions/${encodeURIComponent(execution.id)}/artifacts`).catch(() => ({ artifacts: [] })),
      ]);
      return { execution, steps: steps.steps, artifacts: artifacts.artifacts };
    }));
    if (closed) return answer.run;
    if (!isActive(answer.run.status)) follower.close();
    const shown = JSON.stringify([answer.run, journals]);
    if (shown !== painted) {
      painted = shown;
      paint(answer.run, journals);
    }
    return answer.run;
  }

  function scheduleReload() {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => attempt(load), 300);
  }

  const follower = new RunFollower({ api, onUpdate: scheduleReload });

  async function retry(mode, nodeId) {
    const body = nodeId ? { mode, nodeId } : { mode };
    const answer = await attempt(() => api.post(`/api/v1/runs/${encodeURIComponent(runId)}/retry`, body));
    if (!answer) return;
    toast("Started a new run", "success");
    context.navigate(`/runs/${answer.run.id}`);
  }

  async function cancel() {
    const answer = await attempt(() => api.post(`/api/v1/runs/${encodeURIComponent(runId)}/cancel`, {}));
    if (!answer) return;
    toast("Cancelling the run", "info");
    scheduleReload();
  }

  function actions(run, journals) {
    const mayRun = abilities ? abilities.has("run") : context.can("runFlows");
    if (!mayRun || !run.flowId) return null;
    const active = isActive(run.status);
    const failedTargets = journals.some(({ execution }) => ["failed", "cancelled"].includes(execution.status));
    const nodeIds = [...new Set(journals.flatMap(({ steps }) => steps.map((step) => step.nodeId)))];
    const picker = h("select", { id: "retry-node", "aria-label": "Node to retry from" },
      nodeIds.map((id) => h("option", { value: id }, nodes.get(id)?.name ?? id)));
    return h("div", { class: "toolbar run-actions" },
      active ? h("button", { type: "button", id: "run-cancel", class: "danger", onclick: cancel }, "Cancel") : null,
      h("button", { type: "button", id: "retry-all", disabled: active, onclick: () => retry("all") }, "Retry all"),
      h("button", { type: "button", id: "retry-failed", disabled: active || !failedTargets,
        title: failedTargets ? "" : "no target failed", onclick: () => retry("failedTargets") }, "Re-run failed targets only"),
      nodeIds.length ? h("span", { class: "inline-group" }, picker,
        h("button", { type: "button", id: "retry-from-node", disabled: active, onclick: () => retry("fromNode", picker.value) },
          "Retry from node")) : null);
  }

  function stepDetails(execution, step) {
    const node = nodes.get(step.nodeId);
    return h("div", { class: "run-step-details", "data-testid": "step-details" },
      stepView({ api, executionId: execution.id, step, nodeName: node?.name ?? step.nodeId, nodeType: node?.type, treeDepth: 2 }));
  }

  function stepsTable(execution, steps) {
    if (!steps.length) return h("p", { class: "muted" }, isActive(execution.status) ? "Waiting for the first step…" : "No steps were recorded.");
    const body = h("tbody", {});
    for (const { key, step } of steps) {
      const openKey = `${execution.id}:${key}`;
      const open = openSteps.has(openKey);
      const detailsId = `details-${execution.id}-${step.sequence}`.replace(/[^\w-]/g, "");
      const detailsRow = h("tr", { class: "details-row", id: detailsId, hidden: !open },
        h("td", { colspan: 6 }, open ? stepDetails(execution, step) : null));
      const toggle = h("button", { type: "button", class: "small", "data-action": "step-details",
        "aria-expanded": open ? "true" : "false", "aria-controls": detailsId,
        "aria-label": `Details of ${nodes.get(step.nodeId)?.name ?? step.nodeId}` }, open ? "Hide" : "Details");
      toggle.addEventListener("click", () => {
        const opening = !openSteps.has(openKey);
        if (opening) openSteps.add(openKey); else openSteps.delete(openKey);
        detailsRow.hidden = !opening;
        toggle.setAttribute("aria-expanded", opening ? "true" : "false");
        toggle.textContent = opening ? "Hide" : "Details";
        detailsRow.firstChild.replaceChildren(...(opening ? [stepDetails(execution, step)] : []));
      });
      body.append(
        h("tr", { dataset: { nodeId: step.nodeId, stepStatus: step.status }, class: "step-row" },
          h("td", {}, nodeLabel(step.nodeId)),
          h("td", { class: "nowrap" }, statusDot(step.status), " ", statusLabel(step.status)),
          h("td", { class: "nowrap" }, isActive(step.status) ? "…" : duration(step.startedAt, step.endedAt)),
          h("td", { class: "nowrap" }, itemsText(step.itemCounts)),
          h("td", { class: "error-cell" }, step.error ? errorText(step.error) : ""),
          h("td", {}, toggle)),
        detailsRow);
    }
    return h("table", { class: "steps-table" },
      h("thead", {}, h("tr", {}, h("th", {}, "Node"), h("th", {}, "Status"), h("th", {}, "Duration"),
        h("th", { title: "items in → items out" }, "Items"), h("th", {}, "Error"), h("th", {}, ""))),
      body);
  }

  function artifactsList(execution, artifacts) {
    if (!artifacts.length) return null;
    return h("section", { class: "artifacts" }, h("h4", {}, "Report files"),
      h("ul", {}, artifacts.map((artifact) => h("li", {},
        h("a", { href: `/api/v1/executions/${encodeURIComponent(execution.id)}/artifacts/${encodeURIComponent(artifact.name)}`,
          download: artifact.name, "data-testid": "artifact" }, artifact.name),
        h("span", { class: "muted" }, ` (${artifact.bytes} bytes)`)))));
  }

  function executionSection({ execution, steps, artifacts }) {
    const summary = execution.summary && Object.keys(execution.summary).length
      ? Object.entries(execution.summary).map(([key, value]) => `${key} ${value}`).join(" · ") : null;
    return h("section", { class: "card execution", dataset: { executionId: execution.id, executionStatus: execution.status } },
      h("div", { class: "execution-head" },
        h("h2", {}, statusDot(execution.status), " ", execution.connector,
          execution.accountId ? h("span", { class: "muted" }, ` · ${execution.accountId}`) : null,
          execution.region ? ` · ${execution.region}` : ""),
        h("span", { class: "spacer" }),
        h("span", { class: "muted" }, statusLabel(execution.status), " · ", duration(execution.startedAt, execution.endedAt),
          summary ? ` · ${summary}` : "")),
      h("p", { class: "muted small-text mono" }, `execution ${execution.id}`),
      execution.error ? h("p", { class: "run-error", role: "note" }, h("strong", {}, "Error: "), errorText(execution.error)) : null,
      stepsTable(execution, latestSteps(steps)),
      artifactsList(execution, artifacts));
  }

  function paint(run, journals) {
    fill(content,
      h("p", { class: "crumbs" },
        h("a", { href: "#/executions" }, "Executions"), " / ",
        run.flowId ? h("a", { href: `#/executions/${encodeURIComponent(run.flowId)}` }, run.flowName) : run.flowName, " /"),
      h("div", { class: "page-head" },
        h("h1", { id: "run-title" }, statusDot(run.status), " ", run.dryRun ? "Dry run " : "Run ",
          h("span", { class: "mono" }, run.id.slice(0, 8))),
        h("span", { id: "run-status", class: `badge status-text-${run.status}`, "data-status": run.status }, statusLabel(run.status)),
        h("span", { class: "spacer" }),
        run.flowId ? h("a", { class: "button", href: `#/flows/${encodeURIComponent(run.flowId)}` }, "Open flow") : null),
      h("p", { class: "muted run-meta" },
        `Trigger: ${run.trigger}`, run.flowVersion ? ` · version ${run.flowVersion}` : "",
        ` · started ${formatDate(run.createdAt)}`, run.endedAt ? ` · ended ${formatDate(run.endedAt)}` : "",
        ` · ${duration(run.createdAt, run.endedAt)}`),
      actions(run, journals),
      journals.length ? journals.map(executionSection) : h("p", { class: "muted" }, "This run has no executions."));
  }

  const first = await api.get(`/api/v1/runs/${encodeURIComponent(runId)}`);
  await loadFlowContext(first.run);
  const run = await load();
  if (isActive(run.status)) follower.follow(run, first.executions ?? []);
  return () => {
    closed = true;
    follower.close();
    clearTimeout(reloadTimer);
  };
}
