// Execution history: #/executions (every flow the user may read: counts per flow and the latest
// executions) and #/executions/:flowId (one flow: its counts and executions, filterable by status).
// Each execution row carries data-execution-id and data-run-id and opens #/runs/<runId>.

import { h, fill, formatDate, statusDot, statusLabel, isActive, attempt } from "../ui.js";
import { hashQuery, replaceHashQuery } from "./pages-kit.js";

const statuses = ["success", "failed", "running", "queued", "cancelled", "skipped", "planned"];

function shortId(id) {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

function summaryText(summary) {
  if (!summary || typeof summary !== "object") return "";
  const parts = [];
  if (summary.failed !== undefined) parts.push(`${summary.failed} FAIL`);
  if (summary.passed !== undefined) parts.push(`${summary.passed} PASS`);
  return parts.join(" · ");
}

function executionsTable(executions, context, { withFlow = false } = {}) {
  if (!executions.length) return h("p", { class: "muted empty", id: "executions-empty" }, "No executions yet.");
  return h("div", { class: "table-wrap" }, h("table", { id: "executions-table", class: "clickable-rows" },
    h("thead", {}, h("tr", {},
      h("th", {}, "Execution"), withFlow ? h("th", {}, "Flow") : null, h("th", {}, "Date and time"), h("th", {}, "Status"),
      h("th", {}, "Account"), h("th", {}, "Region"), h("th", {}, "Trigger"), h("th", {}, "Findings"))),
    h("tbody", {}, executions.map((execution) => {
      const runId = execution.runId ?? execution.run?.id;
      const line = h("tr", { dataset: { executionId: execution.id, runId } },
        h("td", { class: "mono" }, h("a", { href: `#/runs/${encodeURIComponent(runId)}`, title: execution.id }, shortId(execution.id))),
        withFlow ? h("td", {}, h("a", { href: `#/executions/${encodeURIComponent(execution.flowId)}` }, execution.flowName)) : null,
        h("td", { class: "nowrap" }, formatDate(execution.startedAt ?? execution.run?.createdAt)),
        h("td", { class: "nowrap" }, statusDot(execution.status), " ", statusLabel(execution.status)),
        h("td", {}, execution.connector, execution.accountId ? h("span", { class: "muted" }, ` · ${execution.accountId}`) : null),
        h("td", {}, execution.region || "—"),
        h("td", {}, execution.run?.trigger ?? "—", execution.run?.dryRun ? h("span", { class: "pill" }, "dry run") : null),
        h("td", {}, summaryText(execution.summary) || h("span", { class: "muted" }, "—")));
      line.addEventListener("click", (event) => {
        if (event.target.closest("a")) return;
        context.navigate(`/runs/${runId}`);
      });
      return line;
    }))));
}

function countsLine(counts) {
  const item = (label, value, key) => h("span", { class: "count", "data-count": key }, `${label}: `, h("strong", {}, String(value ?? 0)));
  return h("p", { class: "counts", id: "execution-counts" },
    item("Total executions", counts.total, "total"), item("Successful", counts.success, "success"),
    item("Failed", counts.failed, "failed"), item("Running", counts.running, "running"),
    item("Cancelled", counts.cancelled, "cancelled"));
}

async function renderFlow(view, flowId, context) {
  const { api } = context;
  const query = hashQuery();
  const status = h("select", { id: "executions-status", "aria-label": "Only executions with status" },
    h("option", { value: "" }, "All statuses"), statuses.map((value) => h("option", { value }, statusLabel(value))));
  status.value = query.get("status") ?? "";
  const answer = await api.get(`/api/v1/flows/${encodeURIComponent(flowId)}`);
  const flow = answer.flow;
  const content = h("div", { id: "executions-content" });
  let timer = null;

  async function load() {
    const parameters = new URLSearchParams({ limit: "200" });
    if (status.value) parameters.set("status", status.value);
    const listing = await api.get(`/api/v1/flows/${encodeURIComponent(flowId)}/executions?${parameters}`);
    const last = listing.executions[0];
    fill(content,
      countsLine(listing.counts),
      h("p", { class: "muted" }, "Last triggered on: ", formatDate(last?.run?.createdAt ?? last?.startedAt),
        " · Last edited on: ", formatDate(flow.updatedAt)),
      executionsTable(listing.executions, context));
    clearTimeout(timer);
    if (listing.executions.some((execution) => isActive(execution.status))) timer = setTimeout(() => attempt(load), 2000);
  }

  status.addEventListener("change", () => { replaceHashQuery({ status: status.value }); attempt(load); });
  view.append(
    h("p", { class: "crumbs" }, h("a", { href: "#/executions" }, "Executions"), " / "),
    h("div", { class: "page-head" },
      h("h1", { id: "executions-title" }, flow.name),
      h("span", { class: "spacer" }),
      h("a", { class: "button", href: `#/flows/${encodeURIComponent(flow.id)}` }, "Open flow")),
    h("div", { class: "toolbar" }, status),
    content);
  await load();
  return () => clearTimeout(timer);
}

async function renderAll(view, context) {
  const { api } = context;
  const listing = await api.get("/api/v1/flows");
  const perFlow = await Promise.all(listing.flows.map(async (flow) => {
    const answer = await api.get(`/api/v1/flows/${encodeURIComponent(flow.id)}/executions?limit=50`)
      .catch(() => ({ counts: {}, executions: [] }));
    return { flow, counts: answer.counts, executions: answer.executions };
  }));
  const recent = perFlow
    .flatMap(({ flow, executions }) => executions.map((execution) => ({ ...execution, flowId: flow.id, flowName: flow.name })))
    .sort((a, b) => String(b.startedAt ?? b.run?.createdAt ?? "").localeCompare(String(a.startedAt ?? a.run?.createdAt ?? "")))
    .slice(0, 100);
  const totals = perFlow.reduce((sum, { counts }) => {
    for (const key of ["total", "success", "failed", "running", "cancelled"]) sum[key] = (sum[key] ?? 0) + (counts[key] ?? 0);
    return sum;
  }, {});
  view.append(
    h("div", { class: "page-head" }, h("h1", { id: "executions-title" }, "Executions")),
    countsLine(totals),
    h("section", { class: "panel-section" },
      h("h2", {}, "Per flow"),
      perFlow.length ? h("div", { class: "table-wrap" }, h("table", { id: "executions-per-flow" },
        h("thead", {}, h("tr", {}, h("th", {}, "Flow"), h("th", {}, "Last"), h("th", { class: "num" }, "Total"),
          h("th", { class: "num" }, "Successful"), h("th", { class: "num" }, "Failed"), h("th", { class: "num" }, "Running"),
          h("th", { class: "num" }, "Cancelled"))),
        h("tbody", {}, perFlow.map(({ flow, counts }) => h("tr", { dataset: { flowId: flow.id, flowName: flow.name } },
          h("td", {}, h("a", { href: `#/executions/${encodeURIComponent(flow.id)}` }, flow.name)),
          h("td", {}, statusDot(flow.lastStatus), " ", statusLabel(flow.lastStatus)),
          ...["total", "success", "failed", "running", "cancelled"].map((key) =>
            h("td", { class: "num", "data-count": key }, String(counts[key] ?? 0))))))))
        : h("p", { class: "muted" }, "No flows you may read.")),
    h("section", { class: "panel-section" },
      h("h2", {}, "Latest executions"),
      executionsTable(recent, context, { withFlow: true })));
}

export async function render(view, params, context) {
  if (params.flowId) return renderFlow(view, params.flowId, context);
  return renderAll(view, context);
}
