// Users and roles (#/users, Managers only): the users list; create (name, password, role, tags, grants),
// edit (role, tags, grants, disabled, a new password), delete; and the roles table of GET /api/v1/roles.
// A Manager cannot change their own role, disable or delete themself. Rows carry data-user-id and
// data-user-name.

import { h, toast, formatDate, formDialog, field, attempt } from "../ui.js";
import { chips, confirmDelete } from "./pages-kit.js";

const roles = ["manager", "admin", "powerDeveloper", "developer", "deployer", "reader"];
const grants = ["export", "import", "clone"];

function tagList(text) {
  return [...new Set(text.split(",").map((tag) => tag.trim()).filter(Boolean))];
}

/** The create / edit dialog; resolves to the saved user or null. */
function userDialog(api, context, existing) {
  const creating = !existing;
  const self = existing?.id === context.me.id;
  const name = h("input", { id: "user-name", required: true, value: existing?.name ?? "", autocomplete: "off" });
  const password = h("input", { id: "user-password", type: "password", autocomplete: "new-password", minlength: 8,
    placeholder: creating ? "at least 8 characters" : "leave empty to keep" });
  const role = h("select", { id: "user-role", disabled: self },
    roles.map((value) => h("option", { value }, context.roleName(value))));
  role.value = existing?.role ?? "reader";
  const tags = h("input", { id: "user-tags", value: (existing?.tags ?? []).join(", "), placeholder: "team-a, prod" });
  const grantBoxes = grants.map((grant) => h("input", { type: "checkbox", id: `user-grant-${grant}`, value: grant,
    checked: (existing?.grants ?? []).includes(grant) }));
  const grantsHint = h("p", { class: "hint muted" });
  const syncGrants = () => {
    const byRole = role.value === "manager" || role.value === "admin";
    grantsHint.textContent = byRole ? `${context.roleName(role.value)}s hold every grant by role.` : "";
  };
  role.addEventListener("change", syncGrants);
  syncGrants();
  const disabled = h("input", { type: "checkbox", id: "user-disabled", checked: existing?.disabled ?? false, disabled: self });
  const fields = [
    field("User name", name),
    field(creating ? "Password" : "New password", password),
    field("Role", role, self ? "You cannot change your own role." : null),
    field("Tags (comma-separated)", tags, "Deployers and Readers see the flows carrying one of their tags."),
    h("fieldset", { class: "choices" }, h("legend", {}, "Grants"),
      grantBoxes.map((box) => h("label", { class: "choice", for: box.id }, box, ` ${box.value}`)), grantsHint),
    creating ? null : h("label", { class: "choice", for: disabled.id }, disabled, " Disabled (cannot log in)"),
  ];
  return formDialog(creating ? "New user" : `Edit ${existing.name}`, fields, {
    id: "user-dialog",
    submitLabel: creating ? "Create" : "Save",
    onSubmit: async () => {
      if (!name.value.trim()) throw new Error("Give the user a name.");
      if ((creating || password.value) && password.value.length < 8) throw new Error("The password needs at least 8 characters.");
      const body = {
        name: name.value.trim(),
        tags: tagList(tags.value),
        grants: grantBoxes.filter((box) => box.checked).map((box) => box.value),
      };
      if (!self) body.role = role.value;
      if (password.value) body.password = password.value;
      if (!creating && !self) body.disabled = disabled.checked;
      const answer = creating
        ? await api.post("/api/v1/users", body)
        : await api.patch(`/api/v1/users/${encodeURIComponent(existing.id)}`, body);
      return answer.user;
    },
  });
}

function rolesTable(list, context) {
  const actions = (values) => (values ?? []).length ? values.join(", ") : "—";
  const yes = (value) => (value ? "yes" : "—");
  return h("div", { class: "table-wrap" }, h("table", { id: "roles-table" },
    h("thead", {}, h("tr", {}, h("th", {}, "Role"), h("th", {}, "Creates flows"), h("th", {}, "Own flows"),
      h("th", {}, "Flows with their tags"), h("th", {}, "Other flows"), h("th", {}, "Grants by role"),
      h("th", {}, "Users"), h("th", {}, "Connectors"), h("th", {}, "Audit, metrics"))),
    h("tbody", {}, list.map((entry) => h("tr", { dataset: { role: entry.role } },
      h("td", {}, h("strong", {}, context.roleName(entry.role))),
      h("td", {}, yes(entry.createsFlows)),
      h("td", {}, actions(entry.onOwnFlows)),
      h("td", {}, actions(entry.onFlowsWithTheirTags)),
      h("td", {}, actions(entry.onOtherFlows)),
      h("td", {}, actions(entry.grantsByRole)),
      h("td", {}, yes(entry.managesUsers)),
      h("td", {}, yes(entry.managesConnectors)),
      h("td", {}, yes(entry.readsAuditAndMetrics)))))));
}

export async function render(view, params, context) {
  const { api } = context;
  const body = h("tbody", { id: "user-rows" });
  const rolesHolder = h("div", {});

  async function load() {
    const answer = await api.get("/api/v1/users");
    body.replaceChildren(...answer.users.map((user) => {
      const self = user.id === context.me.id;
      return h("tr", { dataset: { userId: user.id, userName: user.name }, class: user.disabled ? "disabled-row" : null },
        h("td", {}, h("strong", {}, user.name), self ? h("span", { class: "muted" }, " (you)") : null),
        h("td", { "data-testid": "user-role" }, context.roleName(user.role)),
        h("td", {}, (user.tags ?? []).length ? chips(user.tags, "pill tag") : h("span", { class: "muted" }, "—")),
        h("td", {}, (user.grants ?? []).length ? chips(user.grants) : h("span", { class: "muted" }, "—")),
        h("td", { "data-testid": "user-state" }, user.disabled ? h("span", { class: "badge bad" }, "Disabled") : "Active"),
        h("td", { class: "nowrap" }, formatDate(user.createdAt)),
        h("td", { class: "actions-cell" },
          h("button", { type: "button", class: "small", "data-action": "edit", "aria-label": `Edit ${user.name}`,
            onclick: async () => { if (await userDialog(api, context, user)) { toast(`Saved ${user.name}`, "success"); await attempt(load); } } },
            "Edit"),
          self ? null : h("button", { type: "button", class: "small danger", "data-action": "delete", "aria-label": `Delete ${user.name}`,
            onclick: () => remove(user) }, "Delete")));
    }));
  }

  async function remove(user) {
    if (!(await confirmDelete(user.name,
      "The user can no longer log in; their API tokens stop working. Their flows stay."))) return;
    if ((await attempt(() => api.del(`/api/v1/users/${encodeURIComponent(user.id)}`))) === undefined) return;
    toast(`Deleted ${user.name}`, "success");
    await attempt(load);
  }

  view.append(
    h("div", { class: "page-head" },
      h("h1", {}, "Users"),
      h("span", { class: "spacer" }),
      h("button", { type: "button", class: "primary", id: "new-user", onclick: async () => {
        const created = await userDialog(api, context, null);
        if (created) { toast(`Created ${created.name}`, "success"); await attempt(load); }
      } }, "New user")),
    h("div", { class: "table-wrap" }, h("table", { id: "users-table" },
      h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Role"), h("th", {}, "Tags"), h("th", {}, "Grants"),
        h("th", {}, "State"), h("th", {}, "Created"), h("th", {}, "Actions"))),
      body)),
    h("section", { class: "panel-section" }, h("h2", {}, "Roles"), rolesHolder));
  await load();
  const roleList = await api.get("/api/v1/roles");
  rolesHolder.replaceChildren(rolesTable(roleList.roles, context));
}
