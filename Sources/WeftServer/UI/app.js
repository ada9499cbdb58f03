// The single-page app: a hash router over page modules, the session, and the header.
//
// A page is a module under pages/ exporting `async function render(view, params, context)`: it fills
// `view` (an empty <main>) and may return a cleanup function, called when the user leaves the page, or
// `{cleanup, canLeave}`: before the user goes to another route (or logs out), `canLeave()` resolves to
// true to let them go or false to stay (it may ask them); on false the address goes back to the page's
// without showing it again. `context` is { api, me, navigate, can, roleName } — see below. While a page
// is shown, the <main> carries the class `page-<module name>` (page-flows, page-editor, …): stylesheets
// scope a page's rules under it.

import { api, setCsrfToken } from "./api.js";
import { h, toast } from "./ui.js";

/** Route patterns (hash paths) → page module and whether it needs a logged-in user. */
const routes = [
  { pattern: "/login", page: "./pages/login.js", public: true },
  { pattern: "/flows", page: "./pages/flows.js" },
  { pattern: "/flows/new", page: "./pages/editor.js" },
  { pattern: "/flows/:id", page: "./pages/editor.js" },
  { pattern: "/executions", page: "./pages/executions.js" },
  { pattern: "/executions/:flowId", page: "./pages/executions.js" },
  { pattern: "/runs/:runId", page: "./pages/run.js" },
  { pattern: "/templates", page: "./pages/templates.js" },
  { pattern: "/connectors", page: "./pages/connectors.js" },
  { pattern: "/users", page: "./pages/users.js", roles: ["manager"] },
];

/** Navigation links in the header, in order; `roles` limits who sees one. */
const links = [
  { href: "#/flows", label: "Flows" },
  { href: "#/executions", label: "Executions" },
  { href: "#/templates", label: "Templates" },
  { href: "#/connectors", label: "Connectors" },
  { href: "#/users", label: "Users", roles: ["manager"] },
];

const roleNames = {
  manager: "Manager", admin: "Admin", powerDeveloper: "Power Developer",
  developer: "Developer", deployer: "Deployer", reader: "Reader",
};

const context = {
  api,
  /** The logged-in user ({id, name, role, tags, …}) or null. */
  me: null,
  navigate(path) { location.hash = `#${path}`; },
  /** What the user's role allows in general (the server still decides per flow). */
  can(action) {
    const role = context.me?.role;
    const table = {
      editFlows: ["manager", "admin", "powerDeveloper", "developer"],
      runFlows: ["manager", "admin", "powerDeveloper", "developer", "deployer"],
      deployFlows: ["manager", "admin", "powerDeveloper", "deployer"],
      manageConnectors: ["manager", "admin"],
      manageUsers: ["manager"],
    };
    return (table[action] ?? []).includes(role);
  },
  roleName: (role) => roleNames[role] ?? role,
};

/** The shown page's cleanup function and leave check, each null when it has none. */
let page = { cleanup: null, canLeave: null };
/** Whether a leave check is waiting for the user; route changes meanwhile are decided by its answer. */
let checkingLeave = false;

function match(path) {
  for (const route of routes) {
    const names = [];
    const source = route.pattern.replace(/:(\w+)/g, (_, name) => { names.push(name); return "([^/]+)"; });
    const found = new RegExp(`^${source}$`).exec(path);
    if (found) {
      const params = Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(found[index + 1])]));
      return { route, params };
    }
  }
  return null;
}

/** How many times show() has started: a render that a later one overtook is dropped. */
let shows = 0;

/** Shows the page of the current address in a fresh <main id="view">, after the old page's cleanup. */
async function show() {
  const ticket = ++shows;
  const path = location.hash.replace(/^#/, "").split("?")[0] || "/flows";
  const found = match(path);
  if (!found) { context.navigate("/flows"); return; }
  if (!found.route.public && !context.me) {
    if (!(await loadSession())) { context.navigate("/login"); return; }
    if (ticket !== shows) return;
  }
  if (found.route.roles && !found.route.roles.includes(context.me?.role)) { context.navigate("/flows"); return; }
  if (typeof page.cleanup === "function") { try { page.cleanup(); } catch { /* the old page is gone */ } }
  page = { cleanup: null, canLeave: null };
  renderHeader();
  const old = document.getElementById("view");
  const view = old.cloneNode(false);
  view.dataset.page = found.route.pattern;
  view.className = `page-${found.route.page.replace(/^.*\/|\.js$/g, "")}`;
  old.replaceWith(view);
  let shown = { cleanup: null, canLeave: null };
  try {
    const module = await import(found.route.page);
    const result = await module.render(view, found.params, context);
    shown = typeof result === "function" ? { cleanup: result, canLeave: null }
      : { cleanup: result?.cleanup ?? null, canLeave: result?.canLeave ?? null };
  } catch (error) {
    view.replaceChildren(h("p", { class: "error", role: "alert" }, `Could not show this page: ${error.message}`));
  }
  if (ticket === shows) page = shown;
  else if (typeof shown.cleanup === "function") { try { shown.cleanup(); } catch { /* never shown */ } }
}

/** Whether the shown page lets the user go (it may ask them); once it does, it is not asked again. */
async function mayLeave() {
  if (typeof page.canLeave !== "function") return true;
  let allowed = true;
  try { allowed = Boolean(await page.canLeave()); } catch { allowed = true; }
  if (allowed) page.canLeave = null;
  return allowed;
}

async function routeChanged(event) {
  if (checkingLeave) return;
  if (typeof page.canLeave === "function") {
    checkingLeave = true;
    const allowed = await mayLeave();
    checkingLeave = false;
    if (!allowed) { history.replaceState(history.state, "", event.oldURL); return; }
  }
  show();
}

/** Asks the server who is logged in; true when a session exists. */
async function loadSession() {
  try {
    const answer = await api.get("/api/v1/me");
    context.me = answer.user;
    if (answer.csrfToken) setCsrfToken(answer.csrfToken);
    return true;
  } catch {
    context.me = null;
    return false;
  }
}

function renderHeader() {
  const header = document.getElementById("top");
  header.hidden = !context.me;
  if (!context.me) return;
  const current = location.hash.split("?")[0].split("/").slice(0, 2).join("/");
  document.getElementById("nav").replaceChildren(...links
    .filter((link) => !link.roles || link.roles.includes(context.me.role))
    .map((link) => h("a", { href: link.href, "aria-current": current === link.href ? "page" : false }, link.label)));
  document.getElementById("whoami").replaceChildren(
    h("span", { class: "user-name" }, context.me.name), " ",
    h("span", { class: "role-badge", title: "role" }, context.roleName(context.me.role)));
}

/** Called by the login page once logged in. */
export function loggedIn(user, csrfToken) {
  context.me = user;
  setCsrfToken(csrfToken);
  context.navigate(sessionStorage.getItem("weft.after-login") || "/flows");
  sessionStorage.removeItem("weft.after-login");
}

api.onUnauthenticated = () => {
  if (!context.me) return;
  context.me = null;
  setCsrfToken(null);
  page.canLeave = null;
  toast("Your session has ended; please log in again.", "error");
  context.navigate("/login");
};

document.getElementById("logout").addEventListener("click", async () => {
  if (checkingLeave) return;
  checkingLeave = true;
  const allowed = await mayLeave();
  checkingLeave = false;
  if (!allowed) return;
  try { await api.post("/api/v1/logout"); } catch { /* logged out anyway */ }
  context.me = null;
  setCsrfToken(null);
  context.navigate("/login");
});

window.addEventListener("hashchange", routeChanged);
show();
