// What the logged-in user may do with the flow in the editor — SPEC 8's table, as the server's
// AccessPolicy decides it (the server still checks every call):
// Manager and Admin everything; Power Developer their own flows (deploy included); Developer their own
// flows without deploy; Deployer read, run and deploy flows carrying one of their tags; Reader read
// flows carrying one of their tags.
//
// `flowPermissions(me, flow)` → `{edit, run, deploy}`; `flow` null means a new flow.

export function flowPermissions(me, flow) {
  const role = me?.role;
  if (!flow) {
    const create = ["manager", "admin", "powerDeveloper", "developer"].includes(role);
    return { edit: create, run: create, deploy: create && role !== "developer" };
  }
  const owns = Boolean(flow.owner) && flow.owner === me?.id;
  const tagged = (flow.tags ?? []).some((tag) => (me?.tags ?? []).includes(tag));
  switch (role) {
    case "manager":
    case "admin":
      return { edit: true, run: true, deploy: true };
    case "powerDeveloper":
      return { edit: owns, run: owns, deploy: owns };
    case "developer":
      return { edit: owns, run: owns, deploy: false };
    case "deployer":
      return { edit: false, run: tagged, deploy: tagged };
    default:
      return { edit: false, run: false, deploy: false };
  }
}
