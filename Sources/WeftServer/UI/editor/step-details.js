// The step details of one node after a run: status and times, the error, the input and each output as
// a collapsible JSON tree (with copy and download; large outputs paged through
// `GET /api/v1/executions/{id}/steps/{sequence}/outputs/{output}`), the logs, and for filters and
// controls the explain trace and the findings (PASS/FAIL with evidence).
//
// `stepDetails({api, follower, model, nodeId})` returns an element; `follower` is the RunFollower of
// the latest run. With several executions (targets × regions) a picker chooses which one is shown.

import { formatDate, h, toast } from "../ui.js";
import { fill } from "./dom.js";
import { copyText, downloadJSON, jsonTree } from "./json-tree.js";

const PAGE = 100;

function outputCount(output) {
  if (output.items) return output.items.length;
  return (output.pages ?? []).reduce((sum, page) => sum + (page.count ?? 0), 0);
}

/** Items `offset..offset+limit` of a step output, inline or paged. */
async function outputItems(api, executionId, step, name, offset, limit) {
  const output = step.outputs[name];
  if (output.items) return output.items.slice(offset, offset + limit);
  const answer = await api.get(`/api/v1/executions/${encodeURIComponent(executionId)}/steps/${step.sequence}/outputs/` +
    `${encodeURIComponent(name)}?offset=${offset}&limit=${limit}`);
  return answer.items ?? [];
}

async function allItems(api, executionId, step, name) {
  const total = outputCount(step.outputs[name]);
  const items = [];
  while (items.length < total) {
    const page = await outputItems(api, executionId, step, name, items.length, 1000);
    if (!page.length) break;
    items.push(...page);
  }
  return items;
}

function actions(label, fileName, value) {
  return h("span", { class: "json-actions" },
    h("button", { type: "button", class: "small", "aria-label": `Copy ${label} as JSON`, "data-testid": "copy-json",
      onclick: async () => {
        const text = JSON.stringify(await value(), null, 2);
        toast((await copyText(text)) ? `${label} copied to the clipboard` : "Could not copy", "info");
      } }, "Copy"),
    h("button", { type: "button", class: "small", "aria-label": `Download ${label} as a JSON file`, "data-testid": "download-json",
      onclick: async () => downloadJSON(await value(), fileName) }, "Download"));
}

function outputSection({ api, executionId, step, name, nodeName }) {
  const total = outputCount(step.outputs[name]);
  let offset = 0;
  const holder = h("div", { class: "output-page" });
  const pager = h("div", { class: "pager" });
  const draw = async () => {
    holder.replaceChildren(h("p", { class: "muted" }, "Loading…"));
    try {
      const items = await outputItems(api, executionId, step, name, offset, PAGE);
      holder.replaceChildren(jsonTree(items, { open: 1, label: `Output ${name}`, firstIndex: offset }));
    } catch (error) {
      holder.replaceChildren(h("p", { class: "error" }, error.message));
    }
    pager.replaceChildren();
    if (total > PAGE) {
      pager.append(
        h("button", { type: "button", class: "small", disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE); draw(); } }, "Previous"),
        h("span", { class: "muted" }, ` Items ${offset + 1}–${Math.min(total, offset + PAGE)} of ${total} `),
        h("button", { type: "button", class: "small", disabled: offset + PAGE >= total, onclick: () => { offset += PAGE; draw(); } }, "Next"));
    }
  };
  draw();
  return h("section", { class: "step-section", "data-testid": `step-output-${name}` },
    h("h4", {}, `Output ${name} `, h("span", { class: "muted" }, `(${total} item${total === 1 ? "" : "s"})`), " ",
      actions(`output ${name}`, `${nodeName}-${name}-${executionId.slice(0, 8)}.json`, () => allItems(api, executionId, step, name))),
    pager, holder);
}

function findingsTable(items) {
  const findings = items.filter((item) => item && typeof item === "object" && (item.result === "PASS" || item.result === "FAIL"));
  if (!findings.length) return null;
  const failed = findings.filter((finding) => finding.result === "FAIL").length;
  return h("section", { class: "step-section findings", "data-testid": "findings" },
    h("h4", {}, "Findings ", h("span", { class: "muted" }, `(${findings.length - failed} passed, ${failed} failed)`)),
    h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, "Resource"), h("th", {}, "Name"), h("th", {}, "Result"), h("th", {}, "Matched"), h("th", {}, "Evidence"))),
      h("tbody", {}, findings.map((finding) => h("tr", { "data-testid": "finding", "data-result": finding.result, "data-resource-id": finding.resourceId ?? "" },
        h("td", { class: "mono" }, finding.resourceId ?? "—"),
        h("td", {}, finding.displayName ?? "—"),
        h("td", {}, h("span", { class: `result-badge result-${finding.result}` }, finding.result)),
        h("td", { class: "mono" }, (finding.matched ?? []).join(", ") || "—"),
        h("td", {}, Object.keys(finding.evidence ?? {}).length
          ? jsonTree(finding.evidence, { open: 1, label: `Evidence of ${finding.resourceId}` }) : "—"))))));
}

function traceSection(trace) {
  const items = trace?.items ?? [];
  if (!items.length) return null;
  return h("section", { class: "step-section trace", "data-testid": "explain-trace" },
    h("h4", {}, "Explain trace"),
    h("ol", { class: "trace-items" }, items.map((item) => h("li", {},
      h("details", {},
        h("summary", {}, `Item ${item.index}: `, item.result ? h("span", { class: `result-badge result-${item.result}` }, item.result)
          : h("span", { class: item.matched ? "ok" : "muted" }, item.matched ? "kept" : "rejected"),
        item.matched !== undefined ? h("span", { class: "muted" }, item.matched ? " — criteria matched" : " — criteria not matched") : null),
        h("ul", {}, (item.conditions ?? []).map((condition) => h("li", { class: `outcome-${condition.outcome}` }, condition.reason ?? JSON.stringify(condition)))))))),
    trace.truncated ? h("p", { class: "muted" }, "The trace is shortened.") : null);
}

export function stepDetails({ api, follower, model, nodeId }) {
  const node = model.node(nodeId);
  const element = h("section", { class: "step-details", "data-testid": "step-details", "aria-label": `Step details of ${node?.name}` });
  if (!follower?.run) {
    element.append(h("p", { class: "muted" }, "Run the flow, or use Run till from this node's menu, to see its input and output here."));
    return element;
  }
  if (!follower.finished) {
    element.append(h("p", { class: "muted", role: "status" }, `Run ${follower.run.id.slice(0, 8)} is ${follower.run.status}; the details appear when it ends.`));
    return element;
  }
  const executions = follower.executions.filter((execution) => follower.stepsOf(execution.id, nodeId).length);
  if (!executions.length) {
    element.append(h("p", { class: "muted" }, "This node did not run in the latest run."));
    return element;
  }
  let chosen = executions[0].id;
  const body = h("div", { class: "step-body" });
  const picker = executions.length > 1
    ? h("div", { class: "field" }, h("label", { for: "step-execution" }, "Execution"),
      h("select", { id: "step-execution", onchange: (event) => { chosen = event.target.value; draw(); } },
        executions.map((execution) => h("option", { value: execution.id }, `${execution.connector} / ${execution.region} — ${execution.status}`))))
    : null;

  function draw() {
    const execution = executions.find((entry) => entry.id === chosen);
    const records = follower.stepsOf(chosen, nodeId);
    const step = records[records.length - 1];
    const status = step.status;
    const duration = step.startedAt && step.endedAt ? `${((new Date(step.endedAt) - new Date(step.startedAt)) / 1000).toFixed(2)} s` : "—";
    const name = node?.name ?? nodeId;
    fill(body,
      h("dl", { class: "step-facts" },
        h("dt", {}, "Execution"), h("dd", { class: "mono" }, execution.id),
        h("dt", {}, "Target"), h("dd", {}, `${execution.connector} / ${execution.region}${execution.accountId ? ` (${execution.accountId})` : ""}`),
        h("dt", {}, "Status"), h("dd", {}, h("span", { class: `dot status-${status}` }), h("span", { "data-testid": "step-status" }, status)),
        h("dt", {}, "Start"), h("dd", {}, formatDate(step.startedAt)),
        h("dt", {}, "End"), h("dd", {}, `${formatDate(step.endedAt)} (${duration})`),
        h("dt", {}, "Items"), h("dd", {}, Object.entries(step.itemCounts ?? {}).map(([key, count]) => `${key}: ${count}`).join(", ") || "—"),
        records.length > 1 ? [h("dt", {}, "Attempts"), h("dd", {}, String(records.length))] : null),
      step.error ? h("div", { class: "step-error", role: "alert", "data-testid": "step-error" },
        h("strong", {}, "Error: "), step.error.message ?? JSON.stringify(step.error),
        step.error.code ? h("span", { class: "mono muted" }, ` (${step.error.code})`) : null) : null,
      h("div", { class: "findings-holder" }),
      traceSection(step.trace),
      h("section", { class: "step-section", "data-testid": "step-input" },
        h("h4", {}, "Input ", actions("input", `${name}-input-${chosen.slice(0, 8)}.json`, async () => step.input)),
        jsonTree(step.input ?? null, { open: 1, label: "Input" })),
      Object.keys(step.outputs ?? {}).map((output) => outputSection({ api, executionId: chosen, step, name: output, nodeName: name })),
      step.logs?.length ? h("section", { class: "step-section" }, h("h4", {}, "Logs"), h("pre", { class: "logs" }, step.logs.join("\n"))) : null);
    if (step.outputs?.main && ["control", "filter"].includes(node?.type)) {
      outputItems(api, chosen, step, "main", 0, 1000).then((items) => {
        const table = findingsTable(items);
        if (table) body.querySelector(".findings-holder")?.replaceChildren(table);
      }).catch(() => {});
    }
  }

  element.append(h("h3", {}, `Step details — ${node?.name ?? nodeId}`), picker ?? "", body);
  draw();
  return element;
}
