// The flow being edited: the flow document (SPEC 2) plus graph queries and edits.
//
// `FlowModel` owns one document object. Every edit goes through a method that validates it (a refused
// edit returns an error message and changes nothing) and then calls `changed()`, which marks the model
// dirty and notifies the `onChange` listeners with a short reason ("nodes", "edges", "params", …).
// Node positions live in `node.ui.position` ({x, y}); the engine ignores `ui`. `toDocument()` returns
// a clean copy ready to save.

export const NODE_WIDTH = 210;
export const NODE_HEIGHT = 66;

/** A deep copy of a JSON value. */
export function clone(value) {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** A new, empty flow document with its trigger node. */
export function newDocument(name = "") {
  return {
    weft: 1, name, description: "", categories: [], tags: [], variables: [], targets: [],
    nodes: [{ id: "trigger", type: "trigger", name: "Trigger", params: { manual: true }, ui: { position: { x: 60, y: 160 } } }],
    edges: [],
  };
}

export class FlowModel {
  /** @param document a flow document; @param nodeTypes the catalog (`GET /api/v1/node-types` → nodeTypes). */
  constructor(document, nodeTypes) {
    this.doc = clone(document);
    for (const key of ["categories", "tags", "variables", "targets", "nodes", "edges"]) this.doc[key] ??= [];
    this.doc.description ??= "";
    this.types = new Map(nodeTypes.map((type) => [type.type, type]));
    this.listeners = new Set();
    this.dirty = false;
    for (const node of this.doc.nodes) {
      node.params ??= {};
      node.name ??= node.id;
    }
    if (this.doc.nodes.some((node) => !node.ui?.position)) this.tidy({ silent: true });
  }

  /** Calls `listener(reason)` after every change; returns a function that stops it. */
  onChange(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Marks the model changed and tells the listeners why. */
  changed(reason, { dirty = true } = {}) {
    if (dirty) this.dirty = true;
    for (const listener of this.listeners) listener(reason);
  }

  get nodes() { return this.doc.nodes; }
  get edges() { return this.doc.edges; }
  node(id) { return this.doc.nodes.find((node) => node.id === id); }
  nodeType(type) { return this.types.get(type); }
  displayName(node) { return node?.name || node?.id || ""; }

  /** The outputs a node offers: its type's outputs, plus `error` when its settings route errors there. */
  outputs(node) {
    const outputs = [...(this.nodeType(node.type)?.outputs ?? ["main"])];
    if (node.settings?.onError === "errorOutput" && !outputs.includes("error")) outputs.push("error");
    return outputs;
  }

  /** Whether a node of this type takes input (every type but the trigger). */
  takesInput(node) { return this.nodeType(node.type)?.takesInput ?? node.type !== "trigger"; }

  /** The nodes with an edge into `id`, in edge order. */
  upstream(id) {
    return this.doc.edges.filter((edge) => edge.to === id).map((edge) => this.node(edge.from)).filter(Boolean);
  }

  /** Every node `id` depends on (transitively), nearest first. */
  ancestors(id) {
    const seen = new Set();
    const order = [];
    const queue = [id];
    while (queue.length) {
      const current = queue.shift();
      for (const edge of this.doc.edges) {
        if (edge.to === current && !seen.has(edge.from)) {
          seen.add(edge.from);
          order.push(edge.from);
          queue.push(edge.from);
        }
      }
    }
    return order.map((nodeId) => this.node(nodeId)).filter(Boolean);
  }

  /** Whether `to` can be reached from `from` by following edges. */
  reaches(from, to) {
    const stack = [from];
    const seen = new Set();
    while (stack.length) {
      const current = stack.pop();
      if (current === to) return true;
      if (seen.has(current)) continue;
      seen.add(current);
      for (const edge of this.doc.edges) if (edge.from === current) stack.push(edge.to);
    }
    return false;
  }

  /** A fresh node id as the editor writes them: `node-<8 hex>-<kind>`. */
  newId(type) {
    const kind = type.split(".").pop().replace(/[^A-Za-z0-9_-]/g, "").toLowerCase() || "node";
    for (;;) {
      const hex = Array.from(crypto.getRandomValues(new Uint8Array(4)), (byte) => byte.toString(16).padStart(2, "0")).join("");
      const id = `node-${hex}-${kind}`;
      if (!this.node(id)) return id;
    }
  }

  /** A name not used by another node: `base`, else `base2`, `base3`, … */
  uniqueName(base, exceptId) {
    const taken = new Set(this.doc.nodes.filter((node) => node.id !== exceptId).map((node) => node.name));
    const clean = base.replace(/\s+/g, "") || "Node";
    if (!taken.has(clean)) return clean;
    for (let n = 2; ; n += 1) if (!taken.has(`${clean}${n}`)) return `${clean}${n}`;
  }

  /**
   * Adds a node of `type` at `position` (world coordinates); returns it, or an error string. Required
   * code parameters start as the type's example, so a new custom node is valid at once.
   */
  addNode(type, position) {
    const nodeType = this.nodeType(type);
    if (!nodeType) return `unknown node type ${type}`;
    if (type === "trigger" && this.node("trigger")) return "a flow has exactly one trigger node";
    const params = {};
    const schema = nodeType.parameters ?? {};
    for (const key of schema.required ?? []) {
      if (schema.properties?.[key]?.["x-weft-editor"] === "javascript" && typeof nodeType.example?.[key] === "string") {
        params[key] = nodeType.example[key];
      }
    }
    const node = {
      id: type === "trigger" ? "trigger" : this.newId(type), type,
      name: this.uniqueName(nodeType.displayName ?? type), params,
      ui: { position: { x: Math.round(position?.x ?? 80), y: Math.round(position?.y ?? 80) } },
    };
    this.doc.nodes.push(node);
    this.changed("nodes");
    return node;
  }

  /** Removes a node and its edges; the trigger stays. Returns an error string when refused. */
  removeNode(id) {
    if (id === "trigger") return "the trigger node cannot be deleted";
    const before = this.doc.nodes.length;
    this.doc.nodes = this.doc.nodes.filter((node) => node.id !== id);
    if (this.doc.nodes.length === before) return `no node ${id}`;
    this.doc.edges = this.doc.edges.filter((edge) => edge.from !== id && edge.to !== id);
    this.changed("nodes");
    return null;
  }

  /** A copy of a node (new id and name, params copied) placed below it; returns the copy or an error. */
  duplicateNode(id) {
    const original = this.node(id);
    if (!original) return `no node ${id}`;
    if (original.type === "trigger") return "a flow has exactly one trigger node";
    const copy = clone(original);
    copy.id = this.newId(original.type);
    copy.name = this.uniqueName(original.name);
    const position = original.ui?.position ?? { x: 80, y: 80 };
    copy.ui = { ...(copy.ui ?? {}), position: { x: position.x + 30, y: position.y + NODE_HEIGHT + 30 } };
    this.doc.nodes.push(copy);
    for (const edge of this.doc.edges.filter((edge) => edge.to === id)) this.doc.edges.push({ ...edge, to: copy.id });
    this.changed("nodes");
    return copy;
  }

  /** Renames a node; names are unique in the flow. Returns an error string when refused. */
  renameNode(id, name) {
    const node = this.node(id);
    const trimmed = (name ?? "").trim();
    if (!node) return `no node ${id}`;
    if (!trimmed) return "a name is required";
    if (this.doc.nodes.some((other) => other.id !== id && other.name === trimmed)) return `another node is named ${trimmed}`;
    node.name = trimmed;
    this.changed("nodes");
    return null;
  }

  /** Adds an edge; refuses duplicates, self-loops, edges into the trigger and cycles (error string). */
  addEdge(from, to, output = "main") {
    if (from === to) return "a node cannot feed itself";
    const target = this.node(to);
    const source = this.node(from);
    if (!source || !target) return "both ends must be nodes";
    if (!this.takesInput(target)) return `${this.displayName(target)} takes no input`;
    if (this.doc.edges.some((edge) => edge.from === from && edge.to === to && (edge.output ?? "main") === output)) {
      return "these nodes are already connected";
    }
    if (this.reaches(to, from)) return "that edge would make a cycle";
    const edge = { from, to };
    if (output && output !== "main") edge.output = output;
    this.doc.edges.push(edge);
    this.changed("edges");
    return null;
  }

  /** Removes the edge at `index` of `edges`. */
  removeEdge(index) {
    if (index < 0 || index >= this.doc.edges.length) return "no such edge";
    this.doc.edges.splice(index, 1);
    this.changed("edges");
    return null;
  }

  /** Moves a node (world coordinates); `final` false while dragging (listeners may redraw cheaply). */
  moveNode(id, x, y, { final = true } = {}) {
    const node = this.node(id);
    if (!node) return;
    node.ui = { ...(node.ui ?? {}), position: { x: Math.round(x), y: Math.round(y) } };
    this.changed(final ? "positions" : "dragging");
  }

  /** Sets a node's params (the node form edits a copy, then hands it back). */
  setParams(id, params) {
    const node = this.node(id);
    if (!node) return;
    node.params = params;
    this.changed("params");
  }

  /** Sets a node's settings; empty settings are removed. */
  setSettings(id, settings) {
    const node = this.node(id);
    if (!node) return;
    if (settings && Object.keys(settings).length) node.settings = settings; else delete node.settings;
    this.changed("settings");
  }

  /** Sets top-level document fields (name, description, categories, tags, variables, targets). */
  setDocumentFields(fields, reason = "details") {
    Object.assign(this.doc, fields);
    this.changed(reason);
  }

  /**
   * Lays the nodes out left to right in layers: a node's layer is the longest path to it from a root;
   * within a layer, nodes are ordered by the average position of their parents.
   */
  tidy({ silent = false } = {}) {
    const layer = new Map();
    const ids = this.doc.nodes.map((node) => node.id);
    const incoming = new Map(ids.map((id) => [id, this.doc.edges.filter((edge) => edge.to === id).map((edge) => edge.from)]));
    const visit = (id, trail = new Set()) => {
      if (layer.has(id)) return layer.get(id);
      if (trail.has(id)) return 0;
      trail.add(id);
      const parents = (incoming.get(id) ?? []).filter((parent) => ids.includes(parent));
      const value = parents.length ? Math.max(...parents.map((parent) => visit(parent, trail) + 1)) : (id === "trigger" ? 0 : 1);
      layer.set(id, value);
      return value;
    };
    ids.forEach((id) => visit(id));
    const layers = [];
    for (const id of ids) (layers[layer.get(id)] ??= []).push(id);
    const rank = new Map();
    layers.forEach((members = [], index) => {
      if (index > 0) {
        const score = (id) => {
          const parents = incoming.get(id) ?? [];
          return parents.length ? parents.reduce((sum, parent) => sum + (rank.get(parent) ?? 0), 0) / parents.length : 1e6;
        };
        members.sort((a, b) => score(a) - score(b));
      }
      members.forEach((id, position) => rank.set(id, position));
    });
    const gapX = NODE_WIDTH + 90;
    const gapY = NODE_HEIGHT + 50;
    const tallest = Math.max(1, ...layers.map((members = []) => members.length));
    layers.forEach((members = [], index) => {
      const offset = ((tallest - members.length) * gapY) / 2;
      members.forEach((id, position) => {
        const node = this.node(id);
        node.ui = { ...(node.ui ?? {}), position: { x: 60 + index * gapX, y: 60 + offset + position * gapY } };
      });
    });
    if (!silent) this.changed("positions");
  }

  /** The document to save: a copy with empty optional fields left out. */
  toDocument() {
    const doc = clone(this.doc);
    for (const key of ["categories", "tags", "variables", "targets"]) if (!doc[key]?.length) delete doc[key];
    if (!doc.description) delete doc.description;
    for (const node of doc.nodes) {
      if (node.name === node.id) delete node.name;
      if (node.settings && !Object.keys(node.settings).length) delete node.settings;
    }
    return doc;
  }
}
