// Starting a run of the flow and following it live.
//
// `new RunFollower({api, onUpdate})`: `start(flowId, body)` posts `POST /api/v1/flows/{id}/runs` (body:
// `{runTill?, targets?, …}`) and follows the run over server-sent events (`GET /api/v1/runs/{id}/events`:
// snapshot, run.started, step.started, step.finished, execution.finished, run.finished). Node statuses
// (`statuses`: Map nodeId → running|success|failed|skipped|planned, combined over the run's executions:
// running, then failed, then success wins) change as events arrive; when the run ends the step journals
// are read (`steps`: Map executionId → step records) and the statuses recomputed from them, so a run
// that ended before the stream opened is shown too. `onUpdate(follower)` is called after every change.
// If the event stream fails, the run is polled instead.

import { isActive } from "../ui.js";

export class RunFollower {
  constructor({ api, onUpdate = () => {} }) {
    this.api = api;
    this.onUpdate = onUpdate;
    this.reset();
  }

  reset() {
    this.close();
    this.run = null;
    this.executions = [];
    this.perExecution = new Map();
    this.statuses = new Map();
    this.steps = new Map();
    this.finished = false;
    this.error = null;
  }

  close() {
    this.source?.close();
    this.source = null;
    clearTimeout(this.pollTimer);
  }

  get active() { return Boolean(this.run) && !this.finished; }

  async start(flowId, body) {
    this.reset();
    const answer = await this.api.post(`/api/v1/flows/${encodeURIComponent(flowId)}/runs`, body);
    this.follow(answer.run, answer.executions ?? []);
    return answer.run;
  }

  follow(run, executions) {
    this.run = run;
    this.executions = executions;
    this.onUpdate(this);
    const source = new EventSource(`/api/v1/runs/${encodeURIComponent(run.id)}/events`);
    this.source = source;
    const data = (event) => { try { return JSON.parse(event.data); } catch { return {}; } };
    source.addEventListener("snapshot", (event) => {
      const value = data(event);
      if (value.run) this.run = value.run;
      if (value.executions) this.executions = value.executions;
      this.onUpdate(this);
    });
    source.addEventListener("run.started", (event) => {
      const value = data(event);
      if (value.executions) this.executions = value.executions;
      this.onUpdate(this);
    });
    source.addEventListener("step.started", (event) => {
      const value = data(event);
      this.setStatus(value.executionId, value.nodeId, "running");
    });
    source.addEventListener("step.finished", (event) => {
      const value = data(event);
      this.setStatus(value.executionId, value.nodeId, value.status);
    });
    source.addEventListener("execution.finished", (event) => {
      const execution = data(event).execution;
      if (execution) this.executions = this.executions.map((entry) => (entry.id === execution.id ? execution : entry));
      this.onUpdate(this);
    });
    source.addEventListener("run.finished", (event) => {
      const value = data(event);
      if (value.run) this.run = value.run;
      this.finish();
    });
    source.addEventListener("error", () => {
      if (this.finished || this.source !== source) return;
      if (source.readyState === EventSource.CLOSED) {
        this.source = null;
        this.poll();
      }
    });
  }

  async poll() {
    if (this.finished || !this.run) return;
    try {
      const answer = await this.api.get(`/api/v1/runs/${encodeURIComponent(this.run.id)}`);
      this.run = answer.run;
      this.executions = answer.executions ?? this.executions;
      if (!isActive(this.run.status)) { this.finish(); return; }
      await this.loadSteps();
    } catch (error) {
      this.error = error;
    }
    this.pollTimer = setTimeout(() => this.poll(), 1000);
  }

  setStatus(executionId, nodeId, status) {
    if (!executionId || !nodeId) return;
    if (!this.perExecution.has(executionId)) this.perExecution.set(executionId, new Map());
    this.perExecution.get(executionId).set(nodeId, status);
    this.combine();
    this.onUpdate(this);
  }

  combine() {
    const combined = new Map();
    const rank = { running: 5, failed: 4, planned: 3, success: 2, skipped: 1 };
    for (const statuses of this.perExecution.values()) {
      for (const [nodeId, status] of statuses) {
        const before = combined.get(nodeId);
        if (!before || (rank[status] ?? 0) > (rank[before] ?? 0)) combined.set(nodeId, status);
      }
    }
    this.statuses = combined;
  }

  /** Reads every execution's step journal and recomputes the statuses from the last record per node. */
  async loadSteps() {
    if (!this.run) return;
    if (!this.executions.length) {
      const answer = await this.api.get(`/api/v1/runs/${encodeURIComponent(this.run.id)}`);
      this.executions = answer.executions ?? [];
    }
    for (const execution of this.executions) {
      const answer = await this.api.get(`/api/v1/executions/${encodeURIComponent(execution.id)}/steps`);
      this.steps.set(execution.id, answer.steps ?? []);
      const statuses = new Map();
      for (const step of answer.steps ?? []) statuses.set(step.nodeId, step.status);
      this.perExecution.set(execution.id, statuses);
    }
    this.combine();
  }

  async finish() {
    if (this.finished) return;
    this.finished = true;
    this.close();
    try {
      const answer = await this.api.get(`/api/v1/runs/${encodeURIComponent(this.run.id)}`);
      this.run = answer.run;
      this.executions = answer.executions ?? this.executions;
      await this.loadSteps();
    } catch (error) {
      this.error = error;
    }
    this.onUpdate(this);
  }

  /** The step records of `nodeId` in execution `executionId`, oldest first (finished ones only when any). */
  stepsOf(executionId, nodeId) {
    const all = (this.steps.get(executionId) ?? []).filter((step) => step.nodeId === nodeId);
    const done = all.filter((step) => step.status !== "running");
    return done.length ? done : all;
  }
}
