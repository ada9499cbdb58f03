// The editor's "Step details" tab: the latest run's step of one node, shown by ../step-view.js, with the
// framing the editor needs — what to say before a run or while it runs, and with several executions
// (targets × regions) a picker choosing which one is shown.
//
// `stepDetails({api, follower, model, nodeId})` returns an element; `follower` is the RunFollower
// (../run-follower.js) of the latest run.

import { stepView } from "../step-view.js";
import { fill, h } from "../ui.js";

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
    fill(body, stepView({
      api, executionId: chosen, step: records[records.length - 1], nodeName: node?.name ?? nodeId, nodeType: node?.type,
      facts: [
        ["Execution", h("span", { class: "mono" }, execution.id)],
        ["Target", `${execution.connector} / ${execution.region}${execution.accountId ? ` (${execution.accountId})` : ""}`],
      ],
    }));
  }

  element.append(h("h3", {}, `Step details — ${node?.name ?? nodeId}`), picker ?? "", body);
  draw();
  return element;
}
