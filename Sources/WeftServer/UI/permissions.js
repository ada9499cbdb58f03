// What the logged-in user may do with one flow, as the server's AccessPolicy decides it (the server still
// checks every call). Shared by the flows list, the run page and the editor.
//
// `flowAbilities(me, flow, roles)` → a Set of read, edit, delete, run, deploy. `roles` is the `roles`
// array of GET /api/v1/roles (per role: createsFlows, onOwnFlows, onFlowsWithTheirTags, onOtherFlows);
// when it is missing (the request failed), SPEC 8's table stands in: Manager and Admin everything; Power
// Developer their own flows; Developer their own flows without deploy; Deployer read, run and deploy flows
// carrying one of their tags; Reader read those. `flow` null means a new flow: the user's own when their
// role creates flows.

const ALL = ["read", "edit", "delete", "run", "deploy"];
const SPEC_ROLES = [
  { role: "manager", createsFlows: true, onOwnFlows: ALL, onFlowsWithTheirTags: ALL, onOtherFlows: ALL },
  { role: "admin", createsFlows: true, onOwnFlows: ALL, onFlowsWithTheirTags: ALL, onOtherFlows: ALL },
  { role: "powerDeveloper", createsFlows: true, onOwnFlows: ALL },
  { role: "developer", createsFlows: true, onOwnFlows: ["read", "edit", "delete", "run"] },
  { role: "deployer", createsFlows: false, onFlowsWithTheirTags: ["read", "run", "deploy"] },
  { role: "reader", createsFlows: false, onFlowsWithTheirTags: ["read"] },
];

export function flowAbilities(me, flow, roles) {
  const entry = (roles ?? SPEC_ROLES).find((role) => role.role === me?.role);
  if (!entry) return new Set();
  if (!flow) return new Set(entry.createsFlows ? entry.onOwnFlows ?? [] : []);
  const abilities = new Set(entry.onOtherFlows ?? []);
  if (flow.owner && flow.owner === me.id) for (const action of entry.onOwnFlows ?? []) abilities.add(action);
  if ((flow.tags ?? []).some((tag) => (me.tags ?? []).includes(tag))) {
    for (const action of entry.onFlowsWithTheirTags ?? []) abilities.add(action);
  }
  return abilities;
}
