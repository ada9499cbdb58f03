"""The pages around the editor, in Chromium: the flows list (dots, search, clone, export, import), the
templates gallery, execution history and a run's steps, connectors (secrets write-only), users and roles,
and what a Reader sees."""

import json
import pathlib
import re
import shutil
import tempfile
import time
import uuid

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.support.ui import WebDriverWait

from conftest import chromium_options, login, screenshot


def wait(driver, timeout=30):
    """An explicit wait that also outlasts rows re-rendered while it polls (pages refresh live)."""
    return WebDriverWait(driver, timeout, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))


def clean_screenshot(driver, name):
    """A screenshot without the toasts of the actions before it."""
    driver.execute_script("document.getElementById('toasts').replaceChildren()")
    screenshot(driver, name)


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


def open_page(driver, weft, path):
    driver.get(f"{weft.base_url}/#{path}")


def flow_row(driver, name, timeout=30):
    return wait(driver, timeout).until(
        EC.presence_of_element_located((By.CSS_SELECTOR, f"#flows-rows tr[data-flow-name='{name}']")))


def shown_flow_names(driver):
    return driver.execute_script(
        "return [...document.querySelectorAll('#flows-rows tr')].map((row) => row.dataset.flowName)")


def search_flows(driver, text):
    box = wait(driver).until(EC.element_to_be_clickable((By.ID, "flows-search")))
    box.clear()
    box.send_keys(text)
    wait(driver).until(lambda d: shown_flow_names(d) and all(text.lower() in name.lower() for name in shown_flow_names(d)))


def menu_action(driver, name, action):
    """Opens the "More" menu of the flow row named `name` and picks one of its actions."""
    def pick(d):
        row = flow_row(d, name)
        row.find_element(By.CSS_SELECTOR, "[data-action='menu']").click()
        item = row.find_element(By.CSS_SELECTOR, f".action-menu [data-action='{action}']")
        if not item.is_displayed():
            return False
        item.click()
        return True
    wait(driver).until(pick)


def confirm_dialog(driver, label):
    button = wait(driver).until(EC.element_to_be_clickable(
        (By.XPATH, f"//dialog[contains(@class,'modal')]//button[normalize-space()='{label}']")))
    button.click()


def template_document(weft, template="public-rds-instances"):
    return weft.api("GET", f"/api/v1/templates/{template}")["document"]


def create_flow(weft, name, tags=(), targets=None, categories=None):
    """Creates a flow from the RDS template's document with a name and tags; returns its id."""
    document = template_document(weft)
    document["name"] = name
    document["tags"] = list(tags)
    if categories is not None:
        document["categories"] = categories
    if targets is not None:
        document["targets"] = targets
    return weft.api("POST", "/api/v1/flows", document)["flow"]["id"]


def finished_run(weft, flow_id, timeout=60):
    """Starts a run of the flow on demo-aws us-east-1 and waits until it ends; returns the run."""
    run = weft.api("POST", f"/api/v1/flows/{flow_id}/runs",
                   {"targets": [{"connector": "demo-aws", "regions": ["us-east-1"]}]})["run"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = weft.api("GET", f"/api/v1/runs/{run['id']}")["run"]
        if run["status"] not in ("queued", "running"):
            return run
        time.sleep(0.3)
    raise AssertionError(f"run {run['id']} did not end")


@pytest.fixture
def admin(weft, browser):
    login(browser, weft)
    return browser


def test_each_seed_template_is_instantiated_through_the_gallery_with_a_connector_and_one_region(weft, admin):
    templates = weft.api("GET", "/api/v1/templates")["templates"]
    assert len(templates) >= 2
    for index, template in enumerate(templates):
        open_page(admin, weft, "/templates")
        card = wait(admin).until(EC.presence_of_element_located(
            (By.CSS_SELECTOR, f".template-card[data-template-name='{template['name']}']")))
        if index == 0:
            screenshot(admin, "templates")
        card.find_element(By.CSS_SELECTOR, "[data-action='preview']").click()
        preview = wait(admin).until(EC.visibility_of_element_located((By.ID, "template-preview")))
        assert "Nodes" in preview.text and "aws.resource" in preview.text
        confirm_dialog(admin, "Close")

        card.find_element(By.CSS_SELECTOR, "[data-action='use']").click()
        name_box = wait(admin).until(EC.element_to_be_clickable((By.ID, "use-name")))
        name = unique(f"from-{template['name']}")
        name_box.clear()
        name_box.send_keys(name)
        Select(admin.find_element(By.ID, "use-connector")).select_by_value("demo-aws")
        for box in admin.find_elements(By.CSS_SELECTOR, "#use-regions input[name=region]"):
            if box.is_selected() != (box.get_attribute("value") == "us-east-1"):
                box.click()
        admin.find_element(By.CSS_SELECTOR, "#use-template-dialog [data-testid='dialog-submit']").click()
        wait(admin).until(lambda d: re.search(r"#/flows/flw_\w+$", d.current_url))
        flow_id = admin.current_url.rsplit("/", 1)[1]
        saved = weft.api("GET", f"/api/v1/flows/{flow_id}")
        assert saved["flow"]["name"] == name
        assert saved["document"]["targets"] == [{"connector": "demo-aws", "regions": ["us-east-1"]}]
        assert [node["type"] for node in saved["document"]["nodes"]] == template["nodeTypes"]


def test_the_list_shows_a_green_dot_after_a_successful_run_and_searches_by_name_and_category(weft, admin):
    name = unique("dots")
    sibling = f"{name}-ec2"
    flow_id = create_flow(weft, name, targets=[{"connector": "demo-aws", "regions": ["us-east-1"]}])
    create_flow(weft, sibling, categories=["Security", "EC2"])
    create_flow(weft, unique("other"))
    run = finished_run(weft, flow_id)
    assert run["status"] == "success"

    open_page(admin, weft, "/flows")
    flow_row(admin, name)
    wait(admin).until(lambda d: d.find_element(By.ID, "flows-total").text == str(weft.api("GET", "/api/v1/flows")["total"]))
    screenshot(admin, "flows-list")

    search_flows(admin, name)
    assert sorted(shown_flow_names(admin)) == sorted([name, sibling])
    assert f"q={name}" in admin.current_url
    Select(admin.find_element(By.ID, "flows-category")).select_by_value("RDS")
    wait(admin).until(lambda d: shown_flow_names(d) == [name])
    assert "category=RDS" in admin.current_url
    assert admin.find_element(By.ID, "flows-total").text == "1"

    row = flow_row(admin, name)
    assert row.get_attribute("data-flow-id") == flow_id
    assert row.find_elements(By.CSS_SELECTOR, ".last-executions .dot.status-success")
    assert "Success" in row.find_element(By.CSS_SELECTOR, ".status-col").text
    assert "PubliclyAccessibleDBInstances" in row.find_element(By.CSS_SELECTOR, ".controls-col").text
    row.find_element(By.CSS_SELECTOR, ".last-executions a").click()
    wait(admin).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#run-status[data-status='success']")))
    assert run["id"] in admin.current_url


def test_the_wide_flows_list_at_1920_by_1080(weft):
    create_flow(weft, unique("wide"))
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                              options=chromium_options(1920, 1080))
    try:
        login(driver, weft)
        open_page(driver, weft, "/flows")
        wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#flows-rows tr")))
        table = driver.find_element(By.ID, "flows-table")
        assert table.size["width"] <= driver.execute_script("return document.documentElement.clientWidth")
        screenshot(driver, "flows-list-wide")
    finally:
        driver.quit()


def test_a_flow_is_cloned_as_name_cloned_epoch_ms(weft, admin):
    name = unique("to-clone")
    create_flow(weft, name)
    open_page(admin, weft, "/flows")
    search_flows(admin, name)
    menu_action(admin, name, "clone")
    pattern = re.compile(rf"^{re.escape(name)}_cloned_\d{{13}}$")
    wait(admin).until(lambda d: any(pattern.match(found) for found in shown_flow_names(d)))
    clones = [flow for flow in weft.api("GET", f"/api/v1/flows?q={name}")["flows"] if pattern.match(flow["name"])]
    assert len(clones) == 1


def test_flows_exported_from_the_list_are_imported_through_the_wizard(weft, admin):
    prefix = unique("exchange")
    names = [f"{prefix}-a", f"{prefix}-b"]
    for name in names:
        create_flow(weft, name)
    downloads = pathlib.Path(tempfile.mkdtemp(prefix="weft-ui-downloads-"))
    try:
        admin.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
        open_page(admin, weft, "/flows")
        search_flows(admin, prefix)
        for name in names:
            flow_row(admin, name).find_element(By.CSS_SELECTOR, ".select-flow").click()
        export = admin.find_element(By.ID, "export-selected")
        assert export.text == "Export selected (2)"
        export.click()
        wait(admin).until(lambda d: [p for p in downloads.glob("weft-export-*.json")])
        exported = next(downloads.glob("weft-export-*.json"))
        wait(admin).until(lambda d: exported.stat().st_size > 0 and json.loads(exported.read_text()))
        file = json.loads(exported.read_text())
        assert sorted(flow["name"] for flow in file["flows"]) == names

        for flow in file["flows"]:
            flow["name"] = flow["name"] + "-imported"
        to_import = downloads / "to-import.json"
        to_import.write_text(json.dumps(file))
        too_big = downloads / "too-big.json"
        too_big.write_text(json.dumps({"weft": 1, "flows": [], "padding": "x" * (2 * 1024 * 1024)}))

        admin.find_element(By.ID, "import-flows").click()
        wait(admin).until(EC.visibility_of_element_located((By.ID, "import-dialog")))
        admin.find_element(By.ID, "import-file").send_keys(str(too_big))
        wait(admin).until(EC.text_to_be_present_in_element((By.ID, "import-error"), "larger than 2 MB"))
        assert not admin.find_element(By.ID, "import-upload").is_enabled()

        admin.find_element(By.ID, "import-file").send_keys(str(to_import))
        wait(admin).until(EC.text_to_be_present_in_element((By.ID, "import-chosen"), "to-import.json"))
        assert admin.find_element(By.ID, "import-error").text == ""
        admin.find_element(By.ID, "import-upload").click()
        results = wait(admin).until(EC.visibility_of_element_located((By.ID, "import-results")))
        rows = results.find_elements(By.CSS_SELECTOR, "tbody tr")
        assert [row.get_attribute("data-import-status") for row in rows] == ["imported", "imported"]
        assert "2 imported, 0 rejected" in results.text
        admin.find_element(By.ID, "import-close").click()
        for name in names:
            flow_row(admin, f"{name}-imported")
        assert len(weft.api("GET", f"/api/v1/flows?q={prefix}")["flows"]) == 4
    finally:
        shutil.rmtree(downloads, ignore_errors=True)


def test_a_reader_sees_only_flows_with_their_tags_and_no_editing_controls(weft, browser):
    tag = unique("team")
    reader = unique("reader")
    shown = unique("tagged")
    hidden = unique("untagged")
    shown_id = create_flow(weft, shown, tags=[tag])
    create_flow(weft, hidden, tags=[unique("elsewhere")])
    create_flow(weft, unique("no-tags"))
    weft.add_user(reader, "reader", tags=[tag])

    login(browser, weft, reader, f"password-{reader}")
    open_page(browser, weft, "/flows")
    flow_row(browser, shown)
    assert shown_flow_names(browser) == [shown]
    assert browser.find_element(By.ID, "flows-total").text == "1"
    for selector in ["#new-flow", "#import-flows", "#export-selected", ".select-flow",
                     "[data-action='edit']", "[data-action='delete']", "[data-action='clone']",
                     "[data-action='run']", "[data-action='deploy']", "[data-action='export']"]:
        assert not browser.find_elements(By.CSS_SELECTOR, selector), selector

    open_page(browser, weft, "/executions")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, f"#executions-per-flow tr[data-flow-id='{shown_id}']")))
    assert [row.get_attribute("data-flow-name")
            for row in browser.find_elements(By.CSS_SELECTOR, "#executions-per-flow tbody tr")] == [shown]

    open_page(browser, weft, "/connectors")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#connector-rows tr")))
    assert not browser.find_elements(By.ID, "new-connector")
    assert not browser.find_elements(By.CSS_SELECTOR, "#connector-rows button")

    open_page(browser, weft, "/templates")
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".template-card")))
    assert not browser.find_elements(By.CSS_SELECTOR, "[data-action='use']")

    open_page(browser, weft, f"/flows/{shown_id}")
    wait(browser).until(lambda d: d.find_element(By.ID, "view").get_attribute("data-page") == "/flows/:id"
                        and d.find_elements(By.CSS_SELECTOR, "#view > *"))
    time.sleep(1.5)
    assert not browser.find_elements(By.ID, "save")


def test_execution_history_and_a_run_with_its_steps(weft, admin):
    name = unique("history")
    flow_id = create_flow(weft, name, targets=[{"connector": "demo-aws", "regions": ["us-east-1"]}])
    run = finished_run(weft, flow_id)

    open_page(admin, weft, "/executions")
    per_flow = wait(admin).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, f"#executions-per-flow tr[data-flow-id='{flow_id}']")))
    assert per_flow.find_element(By.CSS_SELECTOR, "[data-count='success']").text == "1"

    open_page(admin, weft, f"/executions/{flow_id}")
    row = wait(admin).until(EC.presence_of_element_located((By.CSS_SELECTOR, f"#executions-table tr[data-run-id='{run['id']}']")))
    assert admin.find_element(By.ID, "executions-title").text == name
    counts = admin.find_element(By.ID, "execution-counts").text
    assert "Total executions: 1" in counts and "Successful: 1" in counts
    assert "us-east-1" in row.text and "demo-aws" in row.text and "manual" in row.text
    screenshot(admin, "executions")

    row.find_elements(By.TAG_NAME, "td")[2].click()
    wait(admin).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#run-status[data-status='success']")))
    steps = admin.find_elements(By.CSS_SELECTOR, ".step-row")
    assert [step.get_attribute("data-node-id") for step in steps] == ["trigger", "db-instances", "public-db-instances"]
    assert {step.get_attribute("data-step-status") for step in steps} == {"success"}

    control = admin.find_element(By.CSS_SELECTOR, ".step-row[data-node-id='public-db-instances']")
    control.find_element(By.CSS_SELECTOR, "[data-action='step-details']").click()
    details = wait(admin).until(EC.visibility_of_element_located((By.CSS_SELECTOR, "[data-testid='step-details']")))
    assert '"FAIL"' in details.text and "orders-db" in details.text
    assert details.find_elements(By.CSS_SELECTOR, "[data-action='copy-json']")
    assert details.find_elements(By.CSS_SELECTOR, "[data-action='download-json']")
    branch = details.find_element(By.CSS_SELECTOR, ".json-tree details summary")
    branch.click()
    assert details.find_element(By.CSS_SELECTOR, ".json-tree details").get_attribute("open") is None

    admin.find_element(By.ID, "retry-all").click()
    wait(admin).until(lambda d: "/runs/" in d.current_url and run["id"] not in d.current_url)
    wait(admin, 60).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#run-status[data-status='success']")))
    assert len(weft.api("GET", f"/api/v1/flows/{flow_id}/runs")["runs"]) == 2


def test_a_connector_is_created_and_edited_and_its_secret_never_comes_back(weft, admin):
    name = unique("conn")
    secret = "SeCrEt-" + uuid.uuid4().hex
    key_id = "AKIA" + uuid.uuid4().hex[:16].upper()
    open_page(admin, weft, "/connectors")
    wait(admin).until(EC.element_to_be_clickable((By.ID, "new-connector"))).click()
    wait(admin).until(EC.element_to_be_clickable((By.ID, "connector-name"))).send_keys(name)
    admin.find_element(By.ID, "connector-account").send_keys("210987654321")
    admin.find_element(By.CSS_SELECTOR, "#connector-regions input[value='eu-west-1']").click()
    admin.find_element(By.ID, "connector-aws-accessKeyId").send_keys(key_id)
    admin.find_element(By.ID, "connector-aws-secretAccessKey").send_keys(secret)
    admin.find_element(By.CSS_SELECTOR, "#connector-dialog [data-testid='dialog-submit']").click()
    row = wait(admin).until(EC.presence_of_element_located((By.CSS_SELECTOR, f"#connector-rows tr[data-connector-name='{name}']")))
    assert "eu-west-1" in row.text and "210987654321" in row.text and "Access keys" in row.text
    assert secret not in admin.page_source and key_id not in admin.page_source
    stored = next(c for c in weft.api("GET", "/api/v1/connectors")["connectors"] if c["name"] == name)
    assert stored["credentials"] == {"accessKeyId": "*****", "secretAccessKey": "*****"}
    clean_screenshot(admin, "connectors")

    row.find_element(By.CSS_SELECTOR, "[data-action='edit']").click()
    secret_box = wait(admin).until(EC.element_to_be_clickable((By.ID, "connector-aws-secretAccessKey")))
    assert secret_box.get_attribute("value") == ""
    assert "stored" in secret_box.get_attribute("placeholder")
    assert secret not in admin.page_source
    admin.find_element(By.ID, "connector-auth-role").click()
    admin.find_element(By.ID, "connector-aws-roleArn").send_keys("arn:aws:iam::210987654321:role/weft-audit")
    admin.find_element(By.ID, "connector-aws-externalId").send_keys("ext-" + secret)
    account = admin.find_element(By.ID, "connector-account")
    account.clear()
    account.send_keys("210987654322")
    admin.find_element(By.CSS_SELECTOR, "#connector-dialog [data-testid='dialog-submit']").click()
    wait(admin).until(lambda d: "210987654322" in d.find_element(
        By.CSS_SELECTOR, f"#connector-rows tr[data-connector-name='{name}']").text)
    assert secret not in admin.page_source
    stored = weft.api("GET", f"/api/v1/connectors/{stored['id']}")["connector"]
    assert stored["accountId"] == "210987654322"
    assert stored["regions"] == ["eu-west-1"]
    assert stored["credentials"] == {"accessKeyId": "*****", "secretAccessKey": "*****",
                                     "roleArn": "arn:aws:iam::210987654321:role/weft-audit", "externalId": "*****"}

    row = admin.find_element(By.CSS_SELECTOR, f"#connector-rows tr[data-connector-name='{name}']")
    row.find_element(By.CSS_SELECTOR, "[data-action='delete']").click()
    confirm_dialog(admin, "Delete")
    wait(admin).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, f"#connector-rows tr[data-connector-name='{name}']")))
    assert all(c["name"] != name for c in weft.api("GET", "/api/v1/connectors")["connectors"])


def test_a_manager_creates_edits_and_deletes_a_user_and_sees_the_roles(weft, admin):
    name = unique("dev")
    open_page(admin, weft, "/users")
    roles = wait(admin).until(EC.presence_of_element_located((By.ID, "roles-table")))
    assert len(roles.find_elements(By.CSS_SELECTOR, "tbody tr")) == 6
    admin.find_element(By.ID, "new-user").click()
    wait(admin).until(EC.element_to_be_clickable((By.ID, "user-name"))).send_keys(name)
    admin.find_element(By.ID, "user-password").send_keys("a-long-password")
    Select(admin.find_element(By.ID, "user-role")).select_by_value("developer")
    admin.find_element(By.ID, "user-tags").send_keys("team-a, team-b")
    admin.find_element(By.ID, "user-grant-clone").click()
    admin.find_element(By.CSS_SELECTOR, "#user-dialog [data-testid='dialog-submit']").click()
    row = wait(admin).until(EC.presence_of_element_located((By.CSS_SELECTOR, f"#user-rows tr[data-user-name='{name}']")))
    assert row.find_element(By.CSS_SELECTOR, "[data-testid='user-role']").text == "Developer"
    user = next(u for u in weft.api("GET", "/api/v1/users")["users"] if u["name"] == name)
    assert (user["role"], user["tags"], user["grants"]) == ("developer", ["team-a", "team-b"], ["clone"])

    row.find_element(By.CSS_SELECTOR, "[data-action='edit']").click()
    Select(wait(admin).until(EC.element_to_be_clickable((By.ID, "user-role")))).select_by_value("reader")
    admin.find_element(By.ID, "user-disabled").click()
    admin.find_element(By.CSS_SELECTOR, "#user-dialog [data-testid='dialog-submit']").click()
    wait(admin).until(lambda d: d.find_element(
        By.CSS_SELECTOR, f"#user-rows tr[data-user-name='{name}'] [data-testid='user-role']").text == "Reader")
    user = weft.api("GET", "/api/v1/users")["users"]
    user = next(u for u in user if u["name"] == name)
    assert user["role"] == "reader" and user["disabled"] is True

    row = admin.find_element(By.CSS_SELECTOR, f"#user-rows tr[data-user-name='{name}']")
    row.find_element(By.CSS_SELECTOR, "[data-action='delete']").click()
    confirm_dialog(admin, "Delete")
    wait(admin).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, f"#user-rows tr[data-user-name='{name}']")))
    assert all(u["name"] != name for u in weft.api("GET", "/api/v1/users")["users"])


def test_the_row_menu_is_keyboard_usable(weft, admin):
    name = unique("keys")
    create_flow(weft, name)
    open_page(admin, weft, "/flows")
    search_flows(admin, name)
    trigger = flow_row(admin, name).find_element(By.CSS_SELECTOR, "[data-action='menu']")
    trigger.send_keys(Keys.ENTER)
    wait(admin).until(lambda d: trigger.get_attribute("aria-expanded") == "true")
    assert admin.switch_to.active_element.get_attribute("data-action") == "clone"
    admin.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait(admin).until(lambda d: trigger.get_attribute("aria-expanded") == "false")
    assert admin.switch_to.active_element == trigger


def slow_flow_document(name, seconds):
    """trigger → custom code busy for `seconds` → a JSON report, on demo-aws us-east-1."""
    code = f"const end = Date.now() + {int(seconds * 1000)}; while (Date.now() < end) {{}} return [{{id: 'a'}}, {{id: 'b'}}];"
    return {
        "weft": 1, "name": name,
        "nodes": [
            {"id": "trigger", "type": "trigger", "params": {"manual": True}},
            {"id": "slow", "type": "custom", "name": "Slow", "params": {"code": code}},
            {"id": "report", "type": "report", "name": "Report", "params": {"format": "json", "fileName": "items.json"}},
        ],
        "edges": [{"from": "trigger", "to": "slow"}, {"from": "slow", "to": "report"}],
        "targets": [{"connector": "demo-aws", "regions": ["us-east-1"]}],
    }


def test_the_run_page_follows_a_running_run_live_and_links_its_report_files(weft, admin):
    flow_id = weft.api("POST", "/api/v1/flows", slow_flow_document(unique("slow"), 4))["flow"]["id"]
    open_page(admin, weft, "/flows")
    wait(admin).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#flows-rows tr")))
    admin.execute_script("window.__samePage = true")
    run = weft.api("POST", f"/api/v1/flows/{flow_id}/runs", {})["run"]
    admin.execute_script("location.hash = arguments[0]", f"#/runs/{run['id']}")
    wait(admin).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#run-status[data-status='running']")))
    wait(admin).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".step-row[data-node-id='slow'][data-step-status='running']")))
    assert admin.find_element(By.ID, "run-cancel").is_displayed()
    wait(admin, 60).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#run-status[data-status='success']")))
    assert admin.execute_script("return window.__samePage === true")
    assert not admin.find_elements(By.ID, "run-cancel")
    link = wait(admin).until(EC.presence_of_element_located((By.CSS_SELECTOR, "[data-testid='artifact']")))
    assert link.text == "items.json" and link.get_attribute("href").endswith("/artifacts/items.json")

    Select(admin.find_element(By.ID, "retry-node")).select_by_value("report")
    admin.find_element(By.ID, "retry-from-node").click()
    wait(admin).until(lambda d: "/runs/" in d.current_url and run["id"] not in d.current_url)
    wait(admin, 60).until(EC.presence_of_element_located((By.CSS_SELECTOR, "#run-status[data-status='success']")))
    retried = weft.api("GET", f"/api/v1/flows/{flow_id}/runs")["runs"]
    assert len(retried) == 2
