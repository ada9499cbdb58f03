// The flow canvas: nodes as cards, edges as curves from an output port to a node's input port.
//
// `new Canvas(options)` builds `canvas.element` (a viewport holding a transformed "world") and draws
// `options.model` (a FlowModel) again on every model change. Users select (click, or focus and Enter),
// drag nodes, connect (drag from an output port onto a node), delete (Delete key), pan (drag the
// background), zoom (wheel or `zoomBy`), and open a node's menu (its ⋮ button). With `readOnly`, only
// selection, pan, zoom and the menu work. Callbacks: `onSelect(selection | null)` where a selection is
// `{kind: "node", id}` or `{kind: "edge", index}`, `onMenu(nodeId, button)`, `onDropType(type, point)`
// (a palette item dropped at a world point), `onMessage(text)` (a refused edit).

import { NODE_HEIGHT, NODE_WIDTH } from "./model.js";

const SVG = "http://www.w3.org/2000/svg";

const ICONS = {
  trigger: "⚡", filter: "▽", control: "✔", custom: "{ }", http: "⇄", largeHttp: "⇊", formatter: "≡",
  joiner: "⋈", loop: "↻", data: "▤", report: "▦",
};

/** A short symbol for a node type (cloud nodes show their provider). */
export function nodeIcon(type) {
  if (ICONS[type]) return ICONS[type];
  if (type.startsWith("aws.")) return "AWS";
  if (type.startsWith("azure.")) return "AZ";
  if (type.startsWith("gcp.")) return "GCP";
  return "●";
}

const STATUS_WORDS = { running: "running", success: "succeeded", failed: "failed", skipped: "skipped", planned: "planned" };

export class Canvas {
  constructor({ model, readOnly = false, onSelect, onMenu, onDropType, onMessage }) {
    this.model = model;
    this.readOnly = readOnly;
    this.onSelect = onSelect ?? (() => {});
    this.onMenu = onMenu ?? (() => {});
    this.onDropType = onDropType ?? (() => {});
    this.onMessage = onMessage ?? (() => {});
    this.view = { x: 0, y: 0, k: 1 };
    this.selection = null;
    this.statuses = new Map();
    this.issues = new Map();
    this.nodeElements = new Map();

    this.element = document.createElement("div");
    this.element.className = "canvas";
    this.element.setAttribute("data-testid", "canvas");
    this.element.setAttribute("aria-label", "Flow canvas: Tab moves between nodes, Enter opens one, Delete removes the selection, arrow keys move a node");
    this.element.setAttribute("role", "region");
    this.element.tabIndex = -1;
    this.world = document.createElement("div");
    this.world.className = "canvas-world";
    this.svg = document.createElementNS(SVG, "svg");
    this.svg.setAttribute("class", "canvas-edges");
    this.svg.setAttribute("width", "1");
    this.svg.setAttribute("height", "1");
    this.edgeLayer = document.createElementNS(SVG, "g");
    this.draft = document.createElementNS(SVG, "path");
    this.draft.setAttribute("class", "edge-draft");
    this.svg.append(this.edgeLayer, this.draft);
    this.world.append(this.svg);
    this.element.append(this.world);

    this.element.addEventListener("pointerdown", (event) => this.pointerDown(event));
    this.element.addEventListener("pointermove", (event) => this.pointerMove(event));
    this.element.addEventListener("pointerup", (event) => this.pointerUp(event));
    this.element.addEventListener("pointercancel", () => this.cancelGesture());
    this.element.addEventListener("wheel", (event) => this.wheel(event), { passive: false });
    this.element.addEventListener("keydown", (event) => this.keyDown(event));
    this.element.addEventListener("dragover", (event) => {
      if (!this.readOnly && event.dataTransfer?.types.includes("application/x-weft-node-type")) event.preventDefault();
    });
    this.element.addEventListener("drop", (event) => {
      const type = event.dataTransfer?.getData("application/x-weft-node-type");
      if (!type || this.readOnly) return;
      event.preventDefault();
      this.onDropType(type, this.toWorld(event.clientX, event.clientY));
    });
    this.unsubscribe = model.onChange((reason) => {
      if (reason === "dragging") return;
      this.render();
    });
  }

  destroy() { this.unsubscribe(); }

  /** Client (screen) coordinates → world coordinates. */
  toWorld(clientX, clientY) {
    const rect = this.element.getBoundingClientRect();
    return { x: (clientX - rect.left - this.view.x) / this.view.k, y: (clientY - rect.top - this.view.y) / this.view.k };
  }

  /** The world point at the middle of the visible area. */
  center() {
    const rect = this.element.getBoundingClientRect();
    return this.toWorld(rect.left + rect.width / 2, rect.top + rect.height / 2);
  }

  applyView() {
    this.world.style.transform = `translate(${this.view.x}px, ${this.view.y}px) scale(${this.view.k})`;
    this.element.dataset.zoom = this.view.k.toFixed(2);
  }

  /** Zooms by `factor` around a client point (default: the middle of the canvas). */
  zoomBy(factor, clientX, clientY) {
    const rect = this.element.getBoundingClientRect();
    const cx = clientX ?? rect.left + rect.width / 2;
    const cy = clientY ?? rect.top + rect.height / 2;
    const k = Math.min(2.5, Math.max(0.25, this.view.k * factor));
    const point = this.toWorld(cx, cy);
    this.view = { k, x: cx - rect.left - point.x * k, y: cy - rect.top - point.y * k };
    this.applyView();
  }

  /** Shows every node, at most at 100 %. */
  fit() {
    const nodes = this.model.nodes;
    const rect = this.element.getBoundingClientRect();
    if (!nodes.length || !rect.width) return;
    const xs = nodes.map((node) => node.ui?.position?.x ?? 0);
    const ys = nodes.map((node) => node.ui?.position?.y ?? 0);
    const minX = Math.min(...xs) - 40;
    const minY = Math.min(...ys) - 40;
    const width = Math.max(...xs) + NODE_WIDTH + 60 - minX;
    const height = Math.max(...ys) + NODE_HEIGHT + 60 - minY;
    const k = Math.max(0.25, Math.min(1, rect.width / width, rect.height / height));
    this.view = { k, x: (rect.width - width * k) / 2 - minX * k, y: (rect.height - height * k) / 2 - minY * k };
    this.applyView();
  }

  /** Pans so that node `id` is inside the visible area (centred when it was not). */
  reveal(id) {
    const node = this.model.node(id);
    const rect = this.element.getBoundingClientRect();
    if (!node || !rect.width) return;
    const position = node.ui?.position ?? { x: 0, y: 0 };
    const left = this.view.x + position.x * this.view.k;
    const top = this.view.y + position.y * this.view.k;
    const inside = left >= 10 && top >= 10 && left + NODE_WIDTH * this.view.k <= rect.width - 10 && top + NODE_HEIGHT * this.view.k <= rect.height - 10;
    if (inside) return;
    const margin = 40;
    const width = NODE_WIDTH * this.view.k;
    const height = NODE_HEIGHT * this.view.k;
    if (left < margin) this.view.x += margin - left;
    else if (left + width > rect.width - margin) this.view.x -= left + width - (rect.width - margin);
    if (top < margin) this.view.y += margin - top;
    else if (top + height > rect.height - margin) this.view.y -= top + height - (rect.height - margin);
    this.applyView();
  }

  /** Node statuses of the current run: Map nodeId → running|success|failed|skipped|planned. */
  setStatuses(statuses) {
    this.statuses = statuses;
    for (const [id, element] of this.nodeElements) this.updateStatus(element, id);
  }

  /** Validation issues: Map nodeId → [message]. */
  setIssues(issues) {
    this.issues = issues;
    this.render();
  }

  /** Selects a node or edge (null clears) and tells onSelect unless `quiet`. */
  select(selection, { quiet = false, focus = false } = {}) {
    this.selection = selection;
    for (const [id, element] of this.nodeElements) {
      const selected = selection?.kind === "node" && selection.id === id;
      element.classList.toggle("selected", selected);
      element.setAttribute("aria-current", selected ? "true" : "false");
      if (selected && focus) element.focus();
    }
    this.edgeLayer.querySelectorAll(".edge").forEach((path) => {
      path.classList.toggle("selected", selection?.kind === "edge" && Number(path.dataset.index) === selection.index);
    });
    if (!quiet) this.onSelect(selection);
  }

  /** Draws the model: nodes kept by id (focus survives), edges redrawn. */
  render() {
    const seen = new Set();
    for (const node of this.model.nodes) {
      seen.add(node.id);
      let element = this.nodeElements.get(node.id);
      if (!element) {
        element = this.createNode(node);
        this.nodeElements.set(node.id, element);
        this.world.append(element);
      }
      this.updateNode(element, node);
    }
    for (const [id, element] of this.nodeElements) {
      if (!seen.has(id)) {
        element.remove();
        this.nodeElements.delete(id);
      }
    }
    if (this.selection?.kind === "node" && !this.model.node(this.selection.id)) this.select(null);
    if (this.selection?.kind === "edge" && !this.model.edges[this.selection.index]) this.select(null);
    this.renderEdges();
    this.select(this.selection, { quiet: true });
    this.applyView();
  }

  createNode(node) {
    const element = document.createElement("div");
    element.className = "node";
    element.tabIndex = 0;
    element.setAttribute("role", "group");
    element.dataset.nodeId = node.id;
    const input = document.createElement("div");
    input.className = "node-port in";
    input.title = "input";
    const icon = document.createElement("span");
    icon.className = "node-icon";
    icon.setAttribute("aria-hidden", "true");
    const text = document.createElement("div");
    text.className = "node-text";
    const name = document.createElement("span");
    name.className = "node-name";
    const type = document.createElement("span");
    type.className = "node-type";
    text.append(name, type);
    const badge = document.createElement("span");
    badge.className = "node-issues";
    badge.setAttribute("data-testid", "node-issue-badge");
    const status = document.createElement("span");
    status.className = "node-status";
    status.setAttribute("data-testid", "node-status");
    const menu = document.createElement("button");
    menu.type = "button";
    menu.className = "node-menu-button";
    menu.textContent = "⋮";
    menu.setAttribute("aria-haspopup", "menu");
    menu.setAttribute("data-testid", "node-menu-button");
    menu.addEventListener("click", (event) => {
      event.stopPropagation();
      this.select({ kind: "node", id: node.id });
      this.onMenu(node.id, menu);
    });
    const outputs = document.createElement("div");
    outputs.className = "node-outputs";
    element.append(input, icon, text, badge, status, menu, outputs);
    element.addEventListener("focus", () => {
      if (!(this.selection?.kind === "node" && this.selection.id === node.id)) this.select({ kind: "node", id: node.id }, { quiet: true });
    });
    return element;
  }

  updateNode(element, node) {
    const type = this.model.nodeType(node.type);
    const position = node.ui?.position ?? { x: 0, y: 0 };
    element.style.left = `${position.x}px`;
    element.style.top = `${position.y}px`;
    element.dataset.nodeType = node.type;
    element.dataset.nodeName = node.name;
    element.classList.toggle("disabled", Boolean(node.settings?.disabled));
    element.querySelector(".node-port.in").hidden = !this.model.takesInput(node);
    element.querySelector(".node-icon").textContent = nodeIcon(node.type);
    element.querySelector(".node-name").textContent = node.name;
    const detail = node.type.startsWith("aws.") && node.params?.service
      ? `${type?.displayName ?? node.type} · ${node.params.service}${node.params.operation ? `:${node.params.operation}` : ""}`
      : type?.displayName ?? node.type;
    element.querySelector(".node-type").textContent = detail;
    element.querySelector(".node-menu-button").setAttribute("aria-label", `Menu of node ${node.name}`);
    const issues = this.issues.get(node.id) ?? [];
    const badge = element.querySelector(".node-issues");
    badge.hidden = !issues.length;
    badge.textContent = issues.length ? `! ${issues.length}` : "";
    badge.title = issues.join("\n");
    element.classList.toggle("has-issues", issues.length > 0);
    const outputs = this.model.outputs(node);
    const holder = element.querySelector(".node-outputs");
    if (holder.dataset.outputs !== outputs.join(",")) {
      holder.dataset.outputs = outputs.join(",");
      holder.replaceChildren(...outputs.map((output) => {
        const port = document.createElement("div");
        port.className = `node-port out output-${output}`;
        port.dataset.output = output;
        port.title = `${output} output: drag onto a node to connect`;
        if (output !== "main") {
          const label = document.createElement("span");
          label.className = "port-label";
          label.textContent = output;
          port.append(label);
        }
        return port;
      }));
    }
    this.updateStatus(element, node.id);
  }

  updateStatus(element, id) {
    const node = this.model.node(id);
    const status = this.statuses.get(id);
    if (status) element.dataset.status = status; else delete element.dataset.status;
    element.querySelector(".node-status").textContent = status ? STATUS_WORDS[status] ?? status : "";
    const issues = this.issues.get(id)?.length ?? 0;
    element.setAttribute("aria-label", `${node?.name ?? id}, ${this.model.nodeType(node?.type)?.displayName ?? node?.type} node` +
      (status ? `, ${STATUS_WORDS[status] ?? status}` : "") + (issues ? `, ${issues} problem${issues > 1 ? "s" : ""}` : ""));
  }

  /** The world point of a node's input port, or of one of its output ports. */
  portPoint(node, output) {
    const position = node.ui?.position ?? { x: 0, y: 0 };
    if (output === undefined) return { x: position.x, y: position.y + NODE_HEIGHT / 2 };
    const outputs = this.model.outputs(node);
    const index = Math.max(0, outputs.indexOf(output));
    return { x: position.x + NODE_WIDTH, y: position.y + (NODE_HEIGHT * (index + 1)) / (outputs.length + 1) };
  }

  static curve(from, to) {
    const dx = Math.max(40, Math.abs(to.x - from.x) / 2);
    return `M ${from.x} ${from.y} C ${from.x + dx} ${from.y}, ${to.x - dx} ${to.y}, ${to.x} ${to.y}`;
  }

  renderEdges() {
    const paths = [];
    this.model.edges.forEach((edge, index) => {
      const from = this.model.node(edge.from);
      const to = this.model.node(edge.to);
      if (!from || !to) return;
      const d = Canvas.curve(this.portPoint(from, edge.output ?? "main"), this.portPoint(to));
      const label = `Edge from ${from.name}${edge.output && edge.output !== "main" ? ` (${edge.output})` : ""} to ${to.name}`;
      const hit = document.createElementNS(SVG, "path");
      hit.setAttribute("class", "edge-hit");
      hit.setAttribute("d", d);
      hit.dataset.index = String(index);
      const path = document.createElementNS(SVG, "path");
      path.setAttribute("class", `edge output-${edge.output ?? "main"}`);
      path.setAttribute("d", d);
      path.dataset.index = String(index);
      path.dataset.from = edge.from;
      path.dataset.to = edge.to;
      path.setAttribute("tabindex", "0");
      path.setAttribute("role", "button");
      path.setAttribute("aria-label", label);
      const title = document.createElementNS(SVG, "title");
      title.textContent = label;
      path.append(title);
      for (const element of [hit, path]) {
        element.addEventListener("pointerdown", (event) => {
          event.stopPropagation();
          this.select({ kind: "edge", index });
        });
      }
      path.addEventListener("focus", () => this.select({ kind: "edge", index }));
      paths.push(hit, path);
    });
    this.edgeLayer.replaceChildren(...paths);
  }

  /** Updates one node's position and its edges while dragging, without a full redraw. */
  redrawDragged(id) {
    const node = this.model.node(id);
    const element = this.nodeElements.get(id);
    if (node && element) {
      element.style.left = `${node.ui.position.x}px`;
      element.style.top = `${node.ui.position.y}px`;
    }
    this.renderEdges();
  }

  pointerDown(event) {
    if (event.button !== 0) return;
    const port = event.target.closest(".node-port.out");
    const nodeElement = event.target.closest(".node");
    if (event.target.closest(".node-menu-button")) return;
    if (port && nodeElement && !this.readOnly) {
      event.preventDefault();
      const node = this.model.node(nodeElement.dataset.nodeId);
      this.gesture = { kind: "connect", from: node.id, output: port.dataset.output, start: this.portPoint(node, port.dataset.output) };
      this.element.setPointerCapture(event.pointerId);
      this.element.classList.add("connecting");
      return;
    }
    if (nodeElement) {
      const id = nodeElement.dataset.nodeId;
      this.select({ kind: "node", id });
      if (this.readOnly) return;
      const node = this.model.node(id);
      const point = this.toWorld(event.clientX, event.clientY);
      this.gesture = {
        kind: "drag", id, moved: false, clientX: event.clientX, clientY: event.clientY,
        dx: point.x - node.ui.position.x, dy: point.y - node.ui.position.y,
      };
      this.element.setPointerCapture(event.pointerId);
      return;
    }
    if (event.target.closest(".edge, .edge-hit")) return;
    this.select(null);
    this.gesture = { kind: "pan", clientX: event.clientX, clientY: event.clientY, x: this.view.x, y: this.view.y };
    this.element.setPointerCapture(event.pointerId);
    this.element.classList.add("panning");
  }

  pointerMove(event) {
    const gesture = this.gesture;
    if (!gesture) return;
    if (gesture.kind === "pan") {
      this.view.x = gesture.x + event.clientX - gesture.clientX;
      this.view.y = gesture.y + event.clientY - gesture.clientY;
      this.applyView();
    } else if (gesture.kind === "drag") {
      if (!gesture.moved && Math.hypot(event.clientX - gesture.clientX, event.clientY - gesture.clientY) < 3) return;
      gesture.moved = true;
      const point = this.toWorld(event.clientX, event.clientY);
      this.model.moveNode(gesture.id, point.x - gesture.dx, point.y - gesture.dy, { final: false });
      this.redrawDragged(gesture.id);
    } else if (gesture.kind === "connect") {
      const point = this.toWorld(event.clientX, event.clientY);
      this.draft.setAttribute("d", Canvas.curve(gesture.start, point));
      const over = document.elementFromPoint(event.clientX, event.clientY)?.closest(".node");
      for (const element of this.nodeElements.values()) element.classList.toggle("drop-target", element === over);
    }
  }

  pointerUp(event) {
    const gesture = this.gesture;
    this.gesture = null;
    this.element.classList.remove("panning", "connecting");
    if (!gesture) return;
    if (gesture.kind === "drag" && gesture.moved) {
      const node = this.model.node(gesture.id);
      this.model.moveNode(gesture.id, node.ui.position.x, node.ui.position.y);
    } else if (gesture.kind === "connect") {
      this.draft.setAttribute("d", "");
      for (const element of this.nodeElements.values()) element.classList.remove("drop-target");
      const over = document.elementFromPoint(event.clientX, event.clientY)?.closest(".node");
      if (over && over.dataset.nodeId !== gesture.from) {
        const error = this.model.addEdge(gesture.from, over.dataset.nodeId, gesture.output);
        if (error) this.onMessage(error);
      }
    }
  }

  cancelGesture() {
    this.gesture = null;
    this.draft.setAttribute("d", "");
    this.element.classList.remove("panning", "connecting");
  }

  wheel(event) {
    event.preventDefault();
    this.zoomBy(event.deltaY < 0 ? 1.1 : 1 / 1.1, event.clientX, event.clientY);
  }

  keyDown(event) {
    if (event.target.closest("input, textarea, select, .CodeMirror")) return;
    const selection = this.selection;
    if (event.key === "Escape") {
      this.select(null);
      return;
    }
    if (!selection) return;
    if ((event.key === "Delete" || event.key === "Backspace") && !this.readOnly) {
      event.preventDefault();
      const error = selection.kind === "node" ? this.model.removeNode(selection.id) : this.model.removeEdge(selection.index);
      if (error) this.onMessage(error);
      else this.element.focus();
      return;
    }
    if (selection.kind === "node" && (event.key === "Enter" || event.key === " ") && event.target.classList.contains("node")) {
      event.preventDefault();
      this.select(selection);
      return;
    }
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (selection.kind === "node" && moves[event.key] && !this.readOnly && event.target.classList.contains("node")) {
      event.preventDefault();
      const node = this.model.node(selection.id);
      const step = event.shiftKey ? 50 : 10;
      this.model.moveNode(node.id, node.ui.position.x + moves[event.key][0] * step, node.ui.position.y + moves[event.key][1] * step);
    }
  }
}
