// Export and import of flows for the flows list.
// exportFlows(ids) downloads one export file (POST /api/v1/flows/export, at most 10 flows);
// importWizard() opens the import dialog (drag and drop or browse, 2 MB checked before upload, one result
// per flow) and resolves to the number of flows imported once the user closes it.

import { request } from "../api.js";
import { downloadText, h, toast } from "../ui.js";

export const maxExportFlows = 10;
export const maxImportBytes = 2 * 1024 * 1024;

/** Downloads the export file of `ids` under the server's file name; resolves to that name. */
export async function exportFlows(ids) {
  const response = await request("POST", "/api/v1/flows/export", { flowIds: ids }, { raw: true });
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `weft-export-${Date.now()}.json`;
  downloadText(name, await response.text());
  toast(`Exported ${ids.length} flow${ids.length === 1 ? "" : "s"} to ${name}`, "success");
  return name;
}

function sizeText(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

function resultsTable(answer) {
  return h("div", { id: "import-results" },
    h("p", {}, `${answer.imported} imported, ${answer.rejected} rejected`),
    h("table", { class: "compact" },
      h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Status"), h("th", {}, "Details"))),
      h("tbody", {}, (answer.results ?? []).map((result) => {
        const problems = [...(result.issues ?? []), ...(result.notConverted ?? [])]
          .map((issue) => `${issue.nodeId ? `${issue.nodeId}: ` : ""}${issue.message}`);
        const removed = (result.removed ?? []).length ? [`removed: ${result.removed.join(", ")}`] : [];
        return h("tr", { "data-import-status": result.status },
          h("td", {}, result.flowId
            ? h("a", { href: `#/flows/${encodeURIComponent(result.flowId)}` }, result.name ?? result.flowId)
            : result.name ?? `flow ${result.index + 1}`),
          h("td", {}, h("span", { class: `badge ${result.status === "imported" ? "ok" : "bad"}` },
            result.status === "imported" ? "Success" : "Rejected")),
          h("td", { class: "muted" }, [...problems, ...removed].join("; ") || "—"));
      }))));
}

/** The import wizard; resolves to how many flows were imported. */
export function importWizard() {
  return new Promise((resolve) => {
    let chosen = null;
    let imported = 0;
    const input = h("input", { type: "file", id: "import-file", class: "visually-hidden", accept: ".json,application/json",
      "aria-label": "Export file to import" });
    const browse = h("button", { type: "button", id: "import-browse", onclick: () => input.click() }, "Browse");
    const chosenLine = h("p", { id: "import-chosen", class: "muted", "aria-live": "polite" }, "No file chosen");
    const message = h("p", { id: "import-error", class: "error", role: "alert" });
    const results = h("div", { "aria-live": "polite" });
    const upload = h("button", { type: "button", class: "primary", id: "import-upload", disabled: true }, "Upload");
    const close = h("button", { type: "button", id: "import-close", onclick: () => box.close() }, "Close");
    const zone = h("div", { class: "drop-zone", id: "import-drop" },
      h("p", {}, "Drag and drop to upload, or ", browse), h("p", { class: "muted" }, "(Max file size 2 MB)"), input);
    const box = h("dialog", { class: "modal wide", "aria-label": "Import flows", id: "import-dialog" },
      h("h2", {}, "Import flows"),
      h("p", {}, "Select the JSON file (a Weft export, or a seed export) that contains the flows to import."),
      zone, chosenLine, message, results,
      h("div", { class: "modal-actions" }, close, upload));

    function choose(file) {
      chosen = null;
      message.textContent = "";
      results.replaceChildren();
      upload.disabled = true;
      if (!file) { chosenLine.textContent = "No file chosen"; return; }
      chosenLine.textContent = `1 file added: ${file.name} (${sizeText(file.size)})`;
      if (file.size > maxImportBytes) {
        message.textContent = `${file.name} is larger than 2 MB; it cannot be imported.`;
        return;
      }
      chosen = file;
      upload.disabled = false;
    }

    input.addEventListener("change", () => choose(input.files[0]));
    zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("over");
      const files = event.dataTransfer?.files ?? [];
      if (files.length > 1) { message.textContent = "Drop one file at a time."; return; }
      choose(files[0]);
    });
    upload.addEventListener("click", async () => {
      if (!chosen) return;
      upload.disabled = true;
      message.textContent = "";
      let body;
      try {
        body = JSON.parse(await chosen.text());
      } catch {
        message.textContent = `${chosen.name} is not a JSON file.`;
        return;
      }
      try {
        const answer = await request("POST", "/api/v1/flows/import", body);
        imported += answer.imported ?? 0;
        results.replaceChildren(resultsTable(answer));
        chosen = null;
        close.textContent = "OK";
        close.focus();
      } catch (error) {
        message.textContent = error.message;
        upload.disabled = false;
      }
    });
    box.addEventListener("close", () => { box.remove(); resolve(imported); });
    document.body.append(box);
    box.showModal();
    browse.focus();
  });
}
