// Following a run live, for the editor (node statuses on the canvas) and the run page.
//
// `new RunFollower({api, onUpdate})`:
// - `start(flowId, body)` posts `POST /api/v1/flows/{id}/runs` (body: `{runTill?, targets?, document?, …}`),
//   follows the new run and resolves to it; the API's errors are thrown as they come.
// - `follow(run, executions)` follows a run that already exists (`run` as the API returns it).
// - `close()` stops following; `onUpdate` is not called any more.
// Following reads the run's server-sent events (`GET /api/v1/runs/{id}/events`: snapshot, run.started,
// step.started, step.finished, execution.finished, run.finished); when the stream cannot be opened or
// fails for good, `GET /api/v1/runs/{id}` and the step journals are polled every second instead.
// State: `run`, `executions`, `finished`, `error` (the last failed read), `statuses` (Map nodeId →
// running|success|failed|skipped|planned, combined over the executions: running, then failed, then
// planned, then success wins) and `steps` (Map executionId → step records, read when the run ends and
// while polling). When the run ends the journals are read and the statuses recomputed from them, so a
// run that ended before the stream opened is shown too. `onUpdate(follower)` is called after every change.
// `stepsOf(executionId, nodeId)` gives one node's records.

import { isActive } from "./ui.js";

const STATUS_RANK = { running: 5, failed: 4, planned: 3, success: 2, skipped: 1 };

export class RunFollower {
  constructor({ api, onUpdate = () => {} }) {
    this.api = api;
    this.onUpdate = onUpdate;
    this.closed = false;
    this.reset();
  }

  reset() {
    this.disconnect();
    this.run = null;
    this.executions = [];
    this.perExecution = new Map();
    this.statuses = new Map();
    this.steps = new Map();
    this.finished = false;
    this.error = null;
  }

  close() {
    this.closed = true;
    this.disconnect();
  }

  disconnect() {
    this.source?.close();
    this.source = null;
    clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }

  notify() {
    if (!this.closed) this.onUpdate(this);
  }

  /** Whether `run` is still the one followed (answers about an older run are dropped). */
  following(run) {
    return !this.closed && this.run?.id === run.id;
  }

  async start(flowId, body) {
    this.reset();
    this.closed = false;
    const answer = await this.api.post(`/api/v1/flows/${encodeURIComponent(flowId)}/runs`, body);
    this.follow(answer.run, answer.executions ?? []);
    return answer.run;
  }

  follow(run, executions = []) {
    this.reset();
    this.closed = false;
    this.run = run;
    this.executions = executions;
    this.notify();
    if (typeof EventSource !== "function") { this.poll(); return; }
    const source = new EventSource(`/api/v1/runs/${encodeURIComponent(run.id)}/events`);
    this.source = source;
    const on = (name, handle) => source.addEventListener(name, (event) => {
      if (this.source !== source) return;
      let value = {};
      try { value = JSON.parse(event.data); } catch { /* an event without data */ }
      handle(value);
    });
    on("snapshot", (value) => {
      if (value.run) this.run = value.run;
      if (value.executions) this.executions = value.executions;
      this.notify();
    });
    on("run.started", (value) => {
      if (value.executions) this.executions = value.executions;
      this.notify();
    });
    on("step.started", (value) => this.setStatus(value.executionId, value.nodeId, "running"));
    on("step.finished", (value) => this.setStatus(value.executionId, value.nodeId, value.status));
    on("execution.finished", (value) => {
      const execution = value.execution;
      if (execution) this.executions = this.executions.map((entry) => (entry.id === execution.id ? execution : entry));
      this.notify();
    });
    on("run.finished", (value) => {
      if (value.run) this.run = value.run;
      this.finish();
    });
    source.addEventListener("error", () => {
      if (this.finished || this.source !== source || source.readyState !== EventSource.CLOSED) return;
      this.source = null;
      this.poll();
    });
  }

  async poll() {
    const run = this.run;
    if (this.finished || !run || this.closed) return;
    try {
      const answer = await this.api.get(`/api/v1/runs/${encodeURIComponent(run.id)}`);
      if (!this.following(run)) return;
      this.run = answer.run;
      this.executions = answer.executions ?? this.executions;
      if (!isActive(this.run.status)) { this.finish(); return; }
      await this.loadSteps();
      if (!this.following(run)) return;
      this.notify();
    } catch (error) {
      this.error = error;
    }
    if (this.following(run) && !this.finished) this.pollTimer = setTimeout(() => this.poll(), 1000);
  }

  setStatus(executionId, nodeId, status) {
    if (!executionId || !nodeId) return;
    if (!this.perExecution.has(executionId)) this.perExecution.set(executionId, new Map());
    this.perExecution.get(executionId).set(nodeId, status);
    this.combine();
    this.notify();
  }

  combine() {
    const combined = new Map();
    for (const statuses of this.perExecution.values()) {
      for (const [nodeId, status] of statuses) {
        const before = combined.get(nodeId);
        if (!before || (STATUS_RANK[status] ?? 0) > (STATUS_RANK[before] ?? 0)) combined.set(nodeId, status);
      }
    }
    this.statuses = combined;
  }

  /** Reads every execution's step journal and recomputes the statuses from the last record per node. */
  async loadSteps() {
    const run = this.run;
    if (!run) return;
    let executions = this.executions;
    if (!executions.length) {
      const answer = await this.api.get(`/api/v1/runs/${encodeURIComponent(run.id)}`);
      executions = answer.executions ?? [];
    }
    const journals = await Promise.all(executions.map((execution) =>
      this.api.get(`/api/v1/executions/${encodeURIComponent(execution.id)}/steps`)));
    if (!this.following(run)) return;
    this.executions = executions;
    executions.forEach((execution, index) => {
      const steps = journals[index].steps ?? [];
      this.steps.set(execution.id, steps);
      this.perExecution.set(execution.id, new Map(steps.map((step) => [step.nodeId, step.status])));
    });
    this.combine();
  }

  async finish() {
    if (this.finished) return;
    const run = this.run;
    this.finished = true;
    this.disconnect();
    try {
      const answer = await this.api.get(`/api/v1/runs/${encodeURIComponent(run.id)}`);
      if (!this.following(run)) return;
      this.run = answer.run;
      this.executions = answer.executions ?? this.executions;
      await this.loadSteps();
    } catch (error) {
      this.error = error;
    }
    if (this.following(run)) this.notify();
  }

  /** The step records of `nodeId` in execution `executionId`, oldest first (finished ones only when any). */
  stepsOf(executionId, nodeId) {
    const all = (this.steps.get(executionId) ?? []).filter((step) => step.nodeId === nodeId);
    const done = all.filter((step) => step.status !== "running");
    return done.length ? done : all;
  }
}
