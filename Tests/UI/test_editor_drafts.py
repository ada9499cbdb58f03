"""The editor with unsaved changes: Run till runs the draft without making a version (its validation
issues shown on the nodes), the condition builder follows the catalog's condition types, and leaving
the editor asks first."""

import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import login, wait
from test_editor import clickable, css, node_card, node_named, run_state, type_into


def versions(weft, flow_id):
    return weft.api("GET", f"/api/v1/flows/{flow_id}/versions")["versions"]


def data_flow(weft, name):
    """A saved flow: trigger → a data node named Items with one item."""
    return weft.api("POST", "/api/v1/flows", {
        "weft": 1, "name": name,
        "nodes": [{"id": "trigger", "type": "trigger", "params": {"manual": True}},
                  {"id": "items", "type": "data", "name": "Items", "params": {"items": [{"a": 1}]}}],
        "edges": [{"from": "trigger", "to": "items"}],
    })["flow"]


def open_editor(browser, weft, flow_id):
    login(browser, weft)
    browser.get(weft.base_url + f"/ui/#/flows/{flow_id}")
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '.node[data-node-name="Items"]')))


def edit_items(browser, text):
    node_card(browser, "Items").click()
    type_into(clickable(browser, '[data-testid="param-items"]'), text)
    wait(browser).until(lambda d: css(d, '[data-testid="dirty-mark"]').is_displayed())


def run_till(browser, name):
    """Closes the side panel, fits the flow in view and picks Run till in the node's menu."""
    if css(browser, '[data-testid="side-panel"]').is_displayed():
        clickable(browser, "#close-panel").click()
    clickable(browser, '[aria-label="Fit the flow in view"]').click()
    node_card(browser, name).find_element(By.CSS_SELECTOR, '[data-testid="node-menu-button"]').click()
    clickable(browser, '[data-testid="menu-run-till"]').click()


def test_run_till_with_unsaved_changes_runs_the_draft_without_saving_it(weft, browser):
    flow = data_flow(weft, f"editor-draft-{int(time.time() * 1000)}")
    assert len(versions(weft, flow["id"])) == 1
    open_editor(browser, weft, flow["id"])

    # An edited node, Run till: the draft runs (with the edit), the nodes turn green, no version is made.
    edit_items(browser, '[{"a": 2}, {"a": 3}]')
    run_till(browser, "Items")
    for node in ("trigger", "Items"):
        wait(browser, 60).until(lambda d, node=node: node_card(d, node).get_attribute("data-status") == "success")
    wait(browser).until(lambda d: (run_state(d) or [None])[0] == "success")
    assert len(versions(weft, flow["id"])) == 1
    assert css(browser, '[data-testid="dirty-mark"]').is_displayed()
    run = weft.api("GET", f"/api/v1/flows/{flow['id']}/runs")["runs"][0]
    assert run["dryRun"]
    execution = weft.api("GET", f"/api/v1/runs/{run['id']}")["executions"][0]
    steps = weft.api("GET", f"/api/v1/executions/{execution['id']}/steps")["steps"]
    items_step = [step for step in steps if step["nodeId"] == "items" and step["status"] == "success"][-1]
    assert items_step["itemCounts"]["main"] == 2

    # A filter with an empty condition: the draft is refused and its issue shows on the node and its field.
    node_card(browser, "Items").click()
    clickable(browser, '[data-testid="palette-filter"]').click()
    filter_name = node_named(browser, "Filter").get_attribute("data-node-name")
    clickable(browser, '[data-testid="add-condition"]').click()
    condition = css(browser, '[data-testid="condition"][data-condition-id="c1"]')

    # The condition builder offers the catalog's condition types with the catalog's help.
    catalog = weft.api("GET", "/api/v1/node-types")["conditionTypes"]
    offered = [option.get_attribute("value") for option in condition.find_elements(By.CSS_SELECTOR, '[data-testid="condition-type"] option')]
    assert offered == [entry["type"] for entry in catalog]
    param = next(entry for entry in catalog if entry["type"] == "param")
    key_help = condition.find_element(By.CSS_SELECTOR, ".field-key .help").text
    assert key_help == param["fields"]["properties"]["key"]["description"]

    run_till(browser, filter_name)
    badge = wait(browser).until(lambda d: node_card(d, filter_name).find_element(By.CSS_SELECTOR, '[data-testid="node-issue-badge"]'))
    wait(browser).until(lambda d: badge.is_displayed())
    assert css(browser, '[data-testid="editor-issues"]').text.startswith("The draft was not run")
    issue = wait(browser).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, '[data-testid="condition"][data-condition-id="c1"] [data-testid="field-issue"]')))
    assert issue.text.startswith("condition c1:")
    assert len(versions(weft, flow["id"])) == 1


def leave_dialog(browser):
    return wait(browser).until(EC.visibility_of_element_located(
        (By.XPATH, "//dialog[contains(@class,'modal')][@aria-label='Leave without saving?']")))


def before_unload_prevented(browser):
    """Whether the page refuses to unload now (asks before closing or reloading the tab)."""
    return browser.execute_script(
        "const event = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(event);"
        "return event.defaultPrevented;")


def test_leaving_the_editor_with_unsaved_changes_asks_first(weft, browser):
    flow = data_flow(weft, f"editor-leave-{int(time.time() * 1000)}")
    open_editor(browser, weft, flow["id"])
    assert not before_unload_prevented(browser)
    edit_items(browser, '[{"a": 4}]')
    assert before_unload_prevented(browser)
    browser.execute_script("document.querySelector('[data-testid=editor]').dataset.probe = 'first render';")

    # Staying: the address goes back to the flow, and the same editor (not a new one) keeps the changes.
    clickable(browser, '#nav a[href="#/flows"]').click()
    leave_dialog(browser).find_element(By.XPATH, ".//button[normalize-space()='Stay in the editor']").click()
    wait(browser).until(lambda d: d.current_url.endswith(f"#/flows/{flow['id']}"))
    assert css(browser, '[data-testid="editor"]').get_attribute("data-probe") == "first render"
    assert css(browser, '[data-testid="dirty-mark"]').is_displayed()
    assert '"a": 4' in css(browser, '[data-testid="param-items"]').get_attribute("value")

    # Leaving: the flows list shows, the change is not saved.
    clickable(browser, '#nav a[href="#/flows"]').click()
    leave_dialog(browser).find_element(By.XPATH, ".//button[normalize-space()='Leave without saving']").click()
    wait(browser).until(lambda d: css(d, "#view").get_attribute("data-page") == "/flows")
    assert not before_unload_prevented(browser)
    assert len(versions(weft, flow["id"])) == 1

    # Without changes nothing is asked.
    browser.get(weft.base_url + f"/ui/#/flows/{flow['id']}")
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '.node[data-node-name="Items"]')))
    clickable(browser, '#nav a[href="#/flows"]').click()
    wait(browser).until(lambda d: css(d, "#view").get_attribute("data-page") == "/flows")
    assert not browser.find_elements(By.CSS_SELECTOR, "dialog.modal")
