// One step of an execution as the editor's step details and the run page show it: its facts (status,
// step, attempt, times, items), its error, for controls and filters the findings (PASS/FAIL with
// evidence), the explain trace, the input and each output as a JSON tree with Copy and Download (large
// outputs paged through `GET /api/v1/executions/{id}/steps/{sequence}/outputs/{output}`), and its logs.
//
// `stepView({api, executionId, step, nodeName, nodeType, facts, treeDepth})` returns the element for the
// step record `step` (from `GET /api/v1/executions/{id}/steps`). `facts` are [term, value] pairs shown
// before the step's own (a page's framing, e.g. the execution); `treeDepth` is how many levels of the
// input and output trees start open (default 1). Input and outputs sit together in `.step-io`.

import { jsonActions, jsonTree } from "./json-tree.js";
import { duration, errorText, formatDate, h, statusDot, statusLabel } from "./ui.js";

const PAGE = 100;

function outputCount(output) {
  if (output.items) return output.items.length;
  return (output.pages ?? []).reduce((sum, page) => sum + (page.count ?? 0), 0);
}

/** Items `offset..offset+limit` of a step output: from the record when inline, else from the API. */
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

function outputSection({ api, executionId, step, name, fileBase, treeDepth }) {
  const output = step.outputs[name];
  const total = outputCount(output);
  let offset = 0;
  const holder = h("div", { class: "output-page" });
  const pager = h("div", { class: "pager" });
  const show = (items) => holder.replaceChildren(jsonTree(items, { open: treeDepth, label: `Output ${name}`, firstIndex: offset }));
  const drawPager = () => {
    pager.replaceChildren();
    if (total <= PAGE) return;
    pager.append(
      h("button", { type: "button", class: "small", disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - PAGE); draw(); } }, "Previous"),
      h("span", { class: "muted" }, ` Items ${offset + 1}–${Math.min(total, offset + PAGE)} of ${total} `),
      h("button", { type: "button", class: "small", disabled: offset + PAGE >= total, onclick: () => { offset += PAGE; draw(); } }, "Next"));
  };
  const draw = async () => {
    if (output.items) { drawPager(); show(output.items.slice(offset, offset + PAGE)); return; }
    holder.replaceChildren(h("p", { class: "muted" }, "Loading…"));
    const wanted = offset;
    try {
      const items = await outputItems(api, executionId, step, name, offset, PAGE);
      if (wanted !== offset) return;
      drawPager();
      show(items);
    } catch (error) {
      drawPager();
      holder.replaceChildren(h("p", { class: "error" }, error.message));
    }
  };
  draw();
  return h("section", { class: "step-section", "data-testid": `step-output-${name}` },
    h("h4", {}, `Output ${name} `, h("span", { class: "muted" }, `(${total} item${total === 1 ? "" : "s"})`), " ",
      jsonActions(`Output ${name}`, `${fileBase}-${name}.json`, () => allItems(api, executionId, step, name))),
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

/** The findings of a control's or filter's main output, in a holder filled at once when inline, else when fetched. */
function findingsHolder({ api, executionId, step, nodeType }) {
  const holder = h("div", { class: "findings-holder" });
  if (!step.outputs?.main || !["control", "filter"].includes(nodeType)) return holder;
  const show = (items) => { const table = findingsTable(items); if (table) holder.replaceChildren(table); };
  if (step.outputs.main.items) show(step.outputs.main.items);
  else outputItems(api, executionId, step, "main", 0, 1000).then(show).catch(() => {});
  return holder;
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

function factList(pairs) {
  return h("dl", { class: "step-facts" }, pairs.filter(Boolean).map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
}

export function stepView({ api, executionId, step, nodeName, nodeType, facts = [], treeDepth = 1 }) {
  const fileBase = `${nodeName ?? step.nodeId}-${executionId.slice(0, 8)}-step-${step.sequence}`;
  const outputs = Object.keys(step.outputs ?? {});
  return h("div", { class: "step-view", "data-sequence": step.sequence },
    factList([
      ...facts,
      ["Status", [statusDot(step.status), " ", h("span", { "data-testid": "step-status" }, statusLabel(step.status))]],
      ["Step", `${step.sequence} · attempt ${step.attempt ?? 1}${step.iteration ? ` · iteration ${step.iteration}` : ""}`],
      step.worker ? ["Worker", h("span", { class: "mono" }, step.worker)] : null,
      ["Start", formatDate(step.startedAt)],
      ["End", `${formatDate(step.endedAt)} (${duration(step.startedAt, step.endedAt)})`],
      ["Items", Object.entries(step.itemCounts ?? {}).map(([key, count]) => `${key}: ${count}`).join(", ") || "—"],
    ]),
    step.error ? h("div", { class: "step-error", role: "alert", "data-testid": "step-error" },
      h("strong", {}, "Error: "), errorText(step.error),
      step.error.code ? h("span", { class: "mono muted" }, ` (${step.error.code})`) : null) : null,
    findingsHolder({ api, executionId, step, nodeType }),
    traceSection(step.trace),
    h("div", { class: "step-io" },
      h("section", { class: "step-section", "data-testid": "step-input" },
        h("h4", {}, "Input ", jsonActions("Input", `${fileBase}-input.json`, async () => step.input ?? null)),
        jsonTree(step.input ?? null, { open: treeDepth, label: "Input" })),
      h("div", { class: "step-outputs" }, outputs.length
        ? outputs.map((name) => outputSection({ api, executionId, step, name, fileBase, treeDepth }))
        : h("p", { class: "muted" }, "No output."))),
    step.logs?.length ? h("section", { class: "step-section" }, h("h4", {}, "Logs"), h("pre", { class: "logs" }, step.logs.join("\n"))) : null);
}
