import { api } from "../api.js";
import { loggedIn } from "../app.js";
import { h } from "../ui.js";

export async function render(view) {
  const message = h("p", { class: "error", role: "alert", id: "login-error" });
  const name = h("input", { id: "username", name: "username", autocomplete: "username", required: true });
  const password = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true });
  const form = h("form", { class: "login card", "aria-labelledby": "login-title" },
    h("h1", { id: "login-title" }, "Log in to Weft"),
    h("label", { for: "username" }, "User name"), name,
    h("label", { for: "password" }, "Password"), password,
    message,
    h("button", { type: "submit", class: "primary", id: "login-submit" }, "Log in"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.textContent = "";
    try {
      const answer = await api.post("/api/v1/login", { username: name.value, password: password.value });
      loggedIn(answer.user, answer.csrfToken);
    } catch (error) {
      message.textContent = error.message;
      password.select();
    }
  });
  view.append(form);
  name.focus();
}
