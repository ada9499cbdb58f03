// The flow's basic details (name, description, categories, tags) and its targets (connectors ×
// regions, from `GET /api/v1/connectors`).
//
// `detailsPanel({model, readOnly, categories})` and `targetsPanel({model, readOnly, connectors})`
// return elements whose edits go to the model (`setDocumentFields`). `targetsSummary(targets)` is a
// one-line description for the toolbar.

import { fill, h } from "../ui.js";
import { clone } from "./model.js";

function list(text) {
  return [...new Set(text.split(",").map((part) => part.trim()).filter(Boolean))];
}

export function detailsPanel({ model, readOnly = false, categories = [] }) {
  const doc = model.doc;
  const name = h("input", { id: "flow-name", value: doc.name ?? "", disabled: readOnly, autocomplete: "off", required: true,
    placeholder: "Untitled flow",
    "data-testid": "flow-name", oninput: () => model.setDocumentFields({ name: name.value }, "name") });
  const description = h("textarea", { id: "flow-description", rows: "3", disabled: readOnly, "data-testid": "flow-description",
    oninput: () => model.setDocumentFields({ description: description.value }) });
  description.value = doc.description ?? "";
  const categoryInput = h("input", { id: "flow-categories", value: (doc.categories ?? []).join(", "), disabled: readOnly,
    autocomplete: "off", list: "flow-category-list", "aria-describedby": "flow-categories-help", "data-testid": "flow-categories",
    oninput: () => model.setDocumentFields({ categories: list(categoryInput.value) }) });
  const tagInput = h("input", { id: "flow-tags", value: (doc.tags ?? []).join(", "), disabled: readOnly, autocomplete: "off",
    "aria-describedby": "flow-tags-help", "data-testid": "flow-tags",
    oninput: () => model.setDocumentFields({ tags: list(tagInput.value) }) });
  const quick = readOnly ? null : h("div", { class: "chips", "aria-label": "Known categories" },
    categories.map((category) => h("button", { type: "button", class: "chip",
      onclick: () => {
        const next = list(categoryInput.value);
        if (!next.includes(category)) next.push(category);
        categoryInput.value = next.join(", ");
        model.setDocumentFields({ categories: next });
      } }, `+ ${category}`)));
  return h("section", { class: "details-panel", "aria-labelledby": "details-title", "data-testid": "details-panel" },
    h("h2", { id: "details-title" }, "Basic details"),
    h("div", { class: "field", "data-pointer": "/name" }, h("label", { for: name.id }, "Flow name *"), name),
    h("div", { class: "field", "data-pointer": "/description" }, h("label", { for: description.id }, "Description"), description),
    h("div", { class: "field", "data-pointer": "/categories" }, h("label", { for: categoryInput.id }, "Categories"), categoryInput,
      h("datalist", { id: "flow-category-list" }, categories.map((category) => h("option", { value: category }))),
      h("small", { class: "help", id: "flow-categories-help" }, "Separated by commas; the flows list filters by them."), quick),
    h("div", { class: "field", "data-pointer": "/tags" }, h("label", { for: tagInput.id }, "Tags"), tagInput,
      h("small", { class: "help", id: "flow-tags-help" }, "Separated by commas; Readers and Deployers see flows carrying their tags.")));
}

export function targetsSummary(targets) {
  if (!targets?.length) return "No targets";
  return targets.map((target) => `${target.connector}${target.regions?.length ? ` (${target.regions.join(", ")})` : " (all regions)"}`).join("; ");
}

export function targetsPanel({ model, readOnly = false, connectors = [] }) {
  const element = h("section", { class: "targets-panel", "aria-labelledby": "targets-title", "data-testid": "targets-panel" });
  const targets = () => clone(model.doc.targets ?? []);
  const commit = (next) => model.setDocumentFields({ targets: next }, "targets");

  function draw() {
    const current = targets();
    const known = new Set(connectors.map((connector) => connector.name));
    const rows = connectors.map((connector) => {
      const target = current.find((entry) => entry.connector === connector.name);
      const id = `target-${connector.name}`.replace(/[^A-Za-z0-9_-]/g, "_");
      const box = h("input", { type: "checkbox", id, checked: Boolean(target), disabled: readOnly,
        "data-testid": `target-connector-${connector.name}`,
        onchange: () => {
          const next = targets().filter((entry) => entry.connector !== connector.name);
          if (box.checked) next.push({ connector: connector.name, regions: [] });
          commit(next);
          draw();
        } });
      const regions = (connector.regions ?? []).map((region) => {
        const regionId = `${id}-${region}`;
        const regionBox = h("input", { type: "checkbox", id: regionId, disabled: readOnly || !target,
          checked: Boolean(target?.regions?.includes(region)), "data-testid": `target-region-${connector.name}-${region}`,
          onchange: () => {
            const next = targets();
            const entry = next.find((candidate) => candidate.connector === connector.name);
            if (!entry) return;
            entry.regions = (entry.regions ?? []).filter((name) => name !== region);
            if (regionBox.checked) entry.regions.push(region);
            entry.regions.sort();
            commit(next);
            draw();
          } });
        return h("div", { class: "field check" }, regionBox, h("label", { for: regionId }, region));
      });
      return h("fieldset", { class: "target-row", "data-connector": connector.name },
        h("legend", {}, h("span", { class: "field check" }, box, h("label", { for: id }, `${connector.name}`)),
          h("span", { class: "muted" }, ` ${connector.provider}${connector.accountId ? ` · ${connector.accountId}` : ""}`)),
        regions.length ? h("div", { class: "regions", role: "group", "aria-label": `Regions of ${connector.name}` }, regions)
          : h("p", { class: "muted" }, "This connector lists no regions: all of them run."),
        target && !target.regions?.length && regions.length ? h("p", { class: "muted" }, "No region chosen: every region of the connector runs.") : null);
    });
    const stale = current.filter((entry) => !known.has(entry.connector));
    fill(element,
      h("h2", { id: "targets-title" }, "Targets"),
      h("p", { class: "muted" }, "Accounts and regions the flow runs in. Test with one account and one region first, then add more."),
      connectors.length ? rows : h("p", { class: "muted" }, "No connectors yet: add one on the Connectors page."),
      stale.length ? h("div", { class: "field" }, h("p", { class: "error" }, `Unknown connectors: ${stale.map((entry) => entry.connector).join(", ")}`),
        readOnly ? null : h("button", { type: "button", onclick: () => { commit(current.filter((entry) => known.has(entry.connector))); draw(); } }, "Remove them")) : null,
      h("p", { class: "targets-summary", "data-testid": "targets-summary" }, targetsSummary(current)));
  }

  draw();
  return element;
}
