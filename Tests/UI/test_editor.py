"""The flow editor: building a flow from scratch on the canvas, running it till a node with live
statuses, reading a control's findings in the step details, saving; keyboard use and validation
issues shown on the nodes they concern."""

import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select

from conftest import login, screenshot, wait

CONNECTOR = "demo-aws"
REGION = "us-east-1"


def css(driver, selector):
    return driver.find_element(By.CSS_SELECTOR, selector)


def clickable(driver, selector, timeout=30):
    return wait(driver, timeout).until(EC.element_to_be_clickable((By.CSS_SELECTOR, selector)))


def node_card(driver, name):
    return css(driver, f'.node[data-node-name="{name}"]')


def node_named(driver, prefix):
    """The card of the node whose name starts with prefix (the editor names nodes after their type)."""
    cards = [card for card in driver.find_elements(By.CSS_SELECTOR, ".node") if card.get_attribute("data-node-name").startswith(prefix)]
    assert len(cards) == 1, f"expected one node named {prefix}…, found {[card.get_attribute('data-node-name') for card in cards]}"
    return cards[0]


def run_state(driver):
    """The editor's run status: [status, text] of its run link, or None before a run."""
    return driver.execute_script(
        "const link = document.querySelector('[data-testid=run-link]');"
        "return link ? [link.dataset.runStatus, link.textContent] : null;")


def type_into(element, text):
    element.clear()
    element.send_keys(text)


def expected_failures(weft):
    """The resource ids the seed's public-RDS template finds FAILing in the demo estate, asked of the API:
    the template's flow is created and run till its control node for the same connector and region."""
    template = weft.api("GET", "/api/v1/templates/public-rds-instances")
    document = template["document"]
    document = dict(document, name=f"editor-oracle-{int(time.time() * 1000)}")
    flow = weft.api("POST", "/api/v1/flows", document)["flow"]
    control = next(node["id"] for node in document["nodes"] if node["type"] == "control")
    run = weft.api("POST", f"/api/v1/flows/{flow['id']}/runs",
                   {"runTill": control, "targets": [{"connector": CONNECTOR, "regions": [REGION]}]})["run"]
    deadline = time.monotonic() + 60
    while True:
        answer = weft.api("GET", f"/api/v1/runs/{run['id']}")
        if answer["run"]["status"] not in ("queued", "running"):
            break
        assert time.monotonic() < deadline, "the oracle run did not end"
        time.sleep(0.3)
    assert answer["run"]["status"] == "success", answer
    steps = weft.api("GET", f"/api/v1/executions/{answer['executions'][0]['id']}/steps")["steps"]
    findings = [step for step in steps if step["nodeId"] == control and step["status"] == "success"][-1]["outputs"]["main"]["items"]
    weft.api("DELETE", f"/api/v1/flows/{flow['id']}")
    failed = {finding["resourceId"] for finding in findings if finding["result"] == "FAIL"}
    assert failed, "the demo estate should have public RDS instances"
    return failed


def test_a_flow_built_from_scratch_runs_till_its_control_and_shows_the_fail_findings(weft, browser):
    expected = expected_failures(weft)
    name = f"editor-public-rds-{int(time.time() * 1000)}"
    login(browser, weft)
    browser.get(weft.base_url + "/ui/#/flows/new")

    # Basic details: a new flow opens on them, with the trigger node already on the canvas.
    type_into(clickable(browser, "#flow-name"), name)
    css(browser, "#flow-categories").send_keys("Security")
    assert node_card(browser, "Trigger").is_displayed()

    # Trigger → AWS Resource: select the trigger, add the resource from the palette (added after it).
    node_card(browser, "Trigger").click()
    clickable(browser, '[data-testid="palette-aws.resource"]').click()
    resource = node_named(browser, "AWSResource")
    resource_name = resource.get_attribute("data-node-name")
    clickable(browser, '[data-testid="aws-service"]').send_keys("rds")
    wait(browser).until(lambda d: css(d, '[data-testid="aws-operation"]').is_enabled()
                        and d.find_elements(By.CSS_SELECTOR, '[data-testid="aws-operation"] option[value="DescribeDBInstances"]'))
    Select(css(browser, '[data-testid="aws-operation"]')).select_by_value("DescribeDBInstances")
    clickable(browser, '[data-testid="aws-addon-SecurityGroups"]').click()
    assert css(browser, '[data-testid="aws-addon-SecurityGroups"]').is_selected()

    # AWS Resource → Control, with the seed's two conditions built in the condition builder.
    clickable(browser, '[data-testid="palette-control"]').click()
    control = node_named(browser, "Control")
    control_name = control.get_attribute("data-node-name")
    Select(clickable(browser, '[data-testid="param-input-node"]')).select_by_visible_text(resource_name)
    assert css(browser, '[data-testid="input-reference"]').text == resource_name

    clickable(browser, '[data-testid="add-condition"]').click()
    first = css(browser, '[data-testid="condition"][data-condition-id="c1"]')
    Select(first.find_element(By.CSS_SELECTOR, '[data-testid="condition-type"]')).select_by_value("param")
    first = css(browser, '[data-testid="condition"][data-condition-id="c1"]')
    type_into(first.find_element(By.CSS_SELECTOR, '[data-testid="condition-key"]'), "$.PubliclyAccessible")
    Select(first.find_element(By.CSS_SELECTOR, '[data-testid="condition-operator"]')).select_by_value("==")
    first = css(browser, '[data-testid="condition"][data-condition-id="c1"]')
    type_into(first.find_element(By.CSS_SELECTOR, '[data-testid="condition-value"]'), "true")

    clickable(browser, '[data-testid="add-condition"]').click()
    Select(css(browser, '[data-testid="condition-join"]')).select_by_visible_text("OR")
    second = css(browser, '[data-testid="condition"][data-condition-id="c2"]')
    Select(second.find_element(By.CSS_SELECTOR, '[data-testid="condition-type"]')).select_by_value("securityGroup")
    second = css(browser, '[data-testid="condition"][data-condition-id="c2"]')
    Select(second.find_element(By.CSS_SELECTOR, '[data-testid="condition-direction"]')).select_by_value("inbound")
    type_into(second.find_element(By.CSS_SELECTOR, '[data-testid="condition-ports"]'), "all")
    type_into(second.find_element(By.CSS_SELECTOR, '[data-testid="condition-protocol"]'), "any")
    Select(second.find_element(By.CSS_SELECTOR, '[data-testid="condition-source"]')).select_by_value("cidr")
    second = css(browser, '[data-testid="condition"][data-condition-id="c2"]')
    type_into(second.find_element(By.CSS_SELECTOR, '[data-testid="condition-value"]'), "0.0.0.0/0")
    assert css(browser, '[data-testid="condition-expression"]').text == "c1 || c2"

    evidence = css(browser, '[data-testid="field-evidence"] > summary')
    evidence.click()
    type_into(clickable(browser, '[data-testid="param-evidence.resourceId"]'), "$.DBInstanceIdentifier")
    type_into(css(browser, '[data-testid="param-evidence.displayName"]'), "$.DBInstanceIdentifier")
    for index, key in enumerate(["$.PubliclyAccessible", "$.SecurityGroups[*].IpPermissions"]):
        clickable(browser, '[data-testid="add-evidence.keys"]').click()
        type_into(clickable(browser, f'[data-testid="param-evidence.keys-{index}"]'), key)

    # One connector on the moto server, one region.
    clickable(browser, "#open-targets").click()
    clickable(browser, f'[data-testid="target-connector-{CONNECTOR}"]').click()
    clickable(browser, f'[data-testid="target-region-{CONNECTOR}-{REGION}"]').click()
    assert css(browser, '[data-testid="targets-summary"]').text == f"{CONNECTOR} ({REGION})"

    # Run till the control node from its menu: the flow is saved first, then the statuses turn green.
    node_card(browser, control_name).find_element(By.CSS_SELECTOR, '[data-testid="node-menu-button"]').click()
    clickable(browser, '[data-testid="menu-run-till"]').click()
    for node in ("Trigger", resource_name, control_name):
        wait(browser, 60).until(lambda d, node=node: node_card(d, node).get_attribute("data-status") == "success")
    wait(browser).until(lambda d: (run_state(d) or [None])[0] == "success")
    clickable(browser, "#close-panel").click()
    clickable(browser, '[aria-label="Fit the flow in view"]').click()
    screenshot(browser, "editor")

    # The control's step details: the FAIL findings are the ones the template finds.
    node_card(browser, control_name).click()
    clickable(browser, '[data-testid="tab-step"]').click()
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, '[data-testid="finding"]')))
    rows = browser.find_elements(By.CSS_SELECTOR, '[data-testid="finding"]')
    failed = {row.get_attribute("data-resource-id") for row in rows if row.get_attribute("data-result") == "FAIL"}
    assert failed == expected
    assert css(browser, '[data-testid="explain-trace"]').is_displayed()
    assert "Input" in css(browser, '[data-testid="step-input"]').text
    clickable(browser, '[data-testid="widen-panel"]').click()
    screenshot(browser, "step-details")

    # Save (a new version) and find the flow in the list with a green dot.
    clickable(browser, "#save").click()
    wait(browser).until(lambda d: "version 2" in css(d, '[data-testid="version-mark"]').text)
    assert not css(browser, '[data-testid="dirty-mark"]').is_displayed()
    # Run till makes a dry run, which the flows list leaves out: run the saved flow for real.
    clickable(browser, "#run").click()
    wait(browser, 60).until(lambda d: run_state(d) == ["success", "Run: success"])
    browser.get(weft.base_url + "/ui/#/flows")
    wait(browser).until(EC.presence_of_element_located(
        (By.CSS_SELECTOR, f'[data-flow-name="{name}"] .dot.status-success')))

    flows = weft.api("GET", "/api/v1/flows")["flows"]
    saved = next(flow for flow in flows if flow["name"] == name)
    document = weft.api("GET", f"/api/v1/flows/{saved['id']}")["document"]
    control_node = next(node for node in document["nodes"] if node["type"] == "control")
    assert control_node["params"]["criteria"] == {
        "conditions": [
            {"id": "c1", "type": "param", "key": "$.PubliclyAccessible", "operator": "==", "value": True},
            {"id": "c2", "type": "securityGroup", "direction": "inbound", "ports": "all", "protocol": "any",
             "source": "cidr", "value": "0.0.0.0/0"},
        ],
        "expression": "c1 || c2",
    }
    resource_node = next(node for node in document["nodes"] if node["type"] == "aws.resource")
    assert resource_node["params"] == {"service": "rds", "operation": "DescribeDBInstances", "addons": ["SecurityGroups"]}
    assert all("position" in node["ui"] for node in document["nodes"])
    assert document["targets"] == [{"connector": CONNECTOR, "regions": [REGION]}]


def focused(driver):
    return driver.switch_to.active_element


def test_the_editor_is_keyboard_usable_and_shows_validation_issues_on_their_nodes(weft, browser):
    name = f"editor-keyboard-{int(time.time() * 1000)}"
    login(browser, weft)
    browser.get(weft.base_url + "/ui/#/flows/new")
    type_into(clickable(browser, "#flow-name"), name)

    # Tab from the name field reaches the panel's controls; the trigger card takes focus and Enter opens it.
    trigger = node_card(browser, "Trigger")
    browser.execute_script("arguments[0].focus()", trigger)
    focused(browser).send_keys(Keys.ENTER)
    wait(browser).until(lambda d: css(d, '[data-testid="node-form"]').get_attribute("data-node-id") == "trigger")

    # A palette item is a button: Enter adds a filter after the selected trigger, connected to it.
    search = css(browser, "#palette-search")
    search.send_keys("filter")
    search.send_keys(Keys.TAB)
    assert focused(browser).get_attribute("data-node-type") == "filter"
    focused(browser).send_keys(Keys.ENTER)
    filter_card = node_named(browser, "Filter")
    filter_id = filter_card.get_attribute("data-node-id")
    assert browser.find_elements(By.CSS_SELECTOR, f'.edge[data-from="trigger"][data-to="{filter_id}"]')

    # An empty condition: saving (Ctrl+S) is refused and the issue shows on the node and in its form.
    add = clickable(browser, '[data-testid="add-condition"]')
    browser.execute_script("arguments[0].focus()", add)
    focused(browser).send_keys(Keys.ENTER)
    wait(browser).until(EC.presence_of_element_located((By.CSS_SELECTOR, '[data-testid="condition"][data-condition-id="c1"]')))
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()
    badge = wait(browser).until(lambda d: node_card(d, filter_card.get_attribute("data-node-name"))
                                .find_element(By.CSS_SELECTOR, '[data-testid="node-issue-badge"]'))
    wait(browser).until(lambda d: badge.is_displayed())
    assert css(browser, '[data-testid="node-problems"]').is_displayed()
    issue = wait(browser).until(EC.visibility_of_element_located(
        (By.CSS_SELECTOR, '[data-testid="condition"][data-condition-id="c1"] [data-testid="field-issue"]')))
    assert issue.text.startswith("condition c1:")
    assert browser.find_elements(By.CSS_SELECTOR, '[data-testid="editor-issues"] [data-testid="issue"]')
    assert "new, not saved" in css(browser, '[data-testid="version-mark"]').text
    screenshot(browser, "editor-validation")

    # Fixing the condition and saving again clears the issues.
    condition = css(browser, '[data-testid="condition"][data-condition-id="c1"]')
    type_into(condition.find_element(By.CSS_SELECTOR, '[data-testid="condition-key"]'), "$.type")
    type_into(css(browser, '[data-testid="condition"][data-condition-id="c1"] [data-testid="condition-value"]'), "manual")
    ActionChains(browser).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()
    wait(browser).until(lambda d: "version 1" in css(d, '[data-testid="version-mark"]').text)
    assert not node_card(browser, filter_card.get_attribute("data-node-name")).find_element(
        By.CSS_SELECTOR, '[data-testid="node-issue-badge"]').is_displayed()
    assert not css(browser, '[data-testid="editor-issues"]').is_displayed()

    # Arrow keys move the focused node; its menu opens with Enter, arrows move, Escape closes.
    card = node_card(browser, filter_card.get_attribute("data-node-name"))
    browser.execute_script("arguments[0].focus()", card)
    left = card.value_of_css_property("left")
    focused(browser).send_keys(Keys.ARROW_RIGHT)
    wait(browser).until(lambda d: node_card(d, filter_card.get_attribute("data-node-name")).value_of_css_property("left") != left)
    menu_button = card.find_element(By.CSS_SELECTOR, '[data-testid="node-menu-button"]')
    browser.execute_script("arguments[0].focus()", menu_button)
    focused(browser).send_keys(Keys.ENTER)
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="node-menu"]')))
    assert focused(browser).get_attribute("data-testid") == "menu-run-till"
    focused(browser).send_keys(Keys.ESCAPE)
    wait(browser).until(EC.invisibility_of_element_located((By.CSS_SELECTOR, '[data-testid="node-menu"]')))
    assert focused(browser).get_attribute("data-testid") == "node-menu-button"

    focused(browser).send_keys(Keys.ENTER)
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="node-menu"]')))
    while focused(browser).get_attribute("data-testid") != "menu-duplicate":
        focused(browser).send_keys(Keys.ARROW_DOWN)
    focused(browser).send_keys(Keys.ENTER)
    wait(browser).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, '.node[data-node-type="filter"]')) == 2)

    # The duplicate is selected and focused: Delete removes it.
    copy = focused(browser)
    assert copy.get_attribute("data-node-type") == "filter" and copy.get_attribute("data-node-id") != filter_id
    copy.send_keys(Keys.DELETE)
    wait(browser).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, '.node[data-node-type="filter"]')) == 1)
    assert css(browser, '[data-testid="dirty-mark"]').is_displayed()

    # Edges take focus too: Delete removes the focused one.
    edge = css(browser, f'.edge[data-from="trigger"][data-to="{filter_id}"]')
    browser.execute_script("arguments[0].focus()", edge)
    focused(browser).send_keys(Keys.DELETE)
    wait(browser).until(lambda d: not d.find_elements(By.CSS_SELECTOR, f'.edge[data-from="trigger"][data-to="{filter_id}"]'))


def test_a_reader_gets_a_read_only_editor(weft, browser):
    stamp = int(time.time() * 1000)
    tag = f"team-ro-{stamp}"
    reader = f"reader{stamp}"
    weft.add_user(reader, "reader", tags=[tag])
    flow = weft.api("POST", "/api/v1/flows", {
        "weft": 1, "name": f"editor-read-only-{stamp}", "tags": [tag],
        "nodes": [{"id": "trigger", "type": "trigger", "params": {"manual": True}},
                  {"id": "only-data", "type": "data", "name": "Items", "params": {"items": [{"a": 1}]}}],
        "edges": [{"from": "trigger", "to": "only-data"}],
    })["flow"]
    login(browser, weft, reader, f"password-{reader}")
    browser.get(weft.base_url + f"/ui/#/flows/{flow['id']}")
    wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="read-only"]')))
    assert not browser.find_elements(By.ID, "save")
    assert not browser.find_elements(By.ID, "palette")
    assert not browser.find_elements(By.ID, "run")
    assert not browser.find_elements(By.ID, "deploy")
    node_card(browser, "Items").find_element(By.CSS_SELECTOR, '[data-testid="node-menu-button"]').click()
    items = [item.get_attribute("data-testid") for item in browser.find_elements(By.CSS_SELECTOR, '[data-testid="node-menu"] [role="menuitem"]')]
    assert items == ["menu-step-details"]
    focused(browser).send_keys(Keys.ESCAPE)
    node_card(browser, "Items").click()
    clickable(browser, '[data-testid="tab-settings"]').click()
    form = wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="node-form"]')))
    fields = form.find_elements(By.CSS_SELECTOR, "input, select, textarea")
    assert fields and all(not field.is_enabled() for field in fields)


def test_large_step_outputs_are_paged_in_the_step_details(weft, browser):
    stamp = int(time.time() * 1000)
    items = [{"n": n, "name": f"item-{n}"} for n in range(250)]
    flow = weft.api("POST", "/api/v1/flows", {
        "weft": 1, "name": f"editor-paging-{stamp}",
        "nodes": [{"id": "trigger", "type": "trigger", "params": {"manual": True}},
                  {"id": "many", "type": "data", "name": "Many", "params": {"items": items}}],
        "edges": [{"from": "trigger", "to": "many"}],
    })["flow"]
    login(browser, weft)
    browser.get(weft.base_url + f"/ui/#/flows/{flow['id']}")
    clickable(browser, "#run").click()
    wait(browser, 60).until(lambda d: node_card(d, "Many").get_attribute("data-status") == "success")
    wait(browser).until(lambda d: run_state(d) == ["success", "Run: success"])
    node_card(browser, "Many").click()
    clickable(browser, '[data-testid="tab-step"]').click()
    output = wait(browser).until(EC.visibility_of_element_located((By.CSS_SELECTOR, '[data-testid="step-output-main"]')))
    assert "(250 items)" in output.text
    wait(browser).until(lambda d: "Items 1–100 of 250" in css(d, '[data-testid="step-output-main"]').text)
    css(browser, '[data-testid="step-output-main"] .pager button:last-of-type').click()
    wait(browser).until(lambda d: "Items 101–200 of 250" in css(d, '[data-testid="step-output-main"]').text)
    tree = css(browser, '[data-testid="step-output-main"] .json-tree')
    assert tree.find_element(By.CSS_SELECTOR, ".json-children > details > summary .json-key").text == "100:"
    tree.find_element(By.CSS_SELECTOR, ".json-children > details > summary").click()
    assert '"item-100"' in tree.text
