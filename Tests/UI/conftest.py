"""Fixtures for the web UI tests: a real `weft serve --demo` (moto on 127.0.0.1 with a small estate and a
connector to it) and a real headless Chromium driven by Selenium.

Everything listens on and talks to 127.0.0.1 only: Chromium's background services are switched off and
its host resolver maps every name but localhost to nothing.
"""

import json
import os
import pathlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest

os.environ.setdefault("SE_AVOID_STATS", "true")  # Selenium Manager must not phone home.

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests" / "UI" / "out"
SCREENSHOTS = ROOT / "docs" / "screenshots"
ADMIN_PASSWORD = "ui-test-admin-password"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def weft_binary():
    if os.environ.get("WEFT_BIN"):
        return os.environ["WEFT_BIN"]
    built = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True)
    return str(pathlib.Path(built.stdout.strip()) / "weft")


class Weft:
    """A running `weft serve --demo` and an API client logged in as the Manager `admin`."""

    def __init__(self, base_url, data_dir, process):
        self.base_url = base_url
        self.data_dir = data_dir
        self.process = process
        self.admin_password = ADMIN_PASSWORD
        self.token = None

    def api(self, method, path, body=None, token=None, expect=(200, 201, 202, 204)):
        """Calls the API with a bearer token (the admin's unless given); returns the parsed JSON body."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Authorization", f"Bearer {token or self.token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        assert status in expect, f"{method} {path} answered {status}: {text}"
        return json.loads(text) if text else None

    def login_token(self, name, password):
        """Logs in with a password and creates an API token for that user; returns the token."""
        request = urllib.request.Request(
            self.base_url + "/api/v1/login", method="POST",
            data=json.dumps({"username": name, "password": password}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            cookie = response.headers["Set-Cookie"].split(";")[0]
            csrf = json.loads(response.read())["csrfToken"]
        request = urllib.request.Request(
            self.base_url + "/api/v1/tokens", method="POST", data=json.dumps({"name": "ui-tests"}).encode(),
            headers={"Content-Type": "application/json", "Cookie": cookie, "X-CSRF-Token": csrf})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())["secret"]

    def add_user(self, name, role, tags=()):
        """Creates a user with the password `password-<name>`; returns the user's API token."""
        password = f"password-{name}"
        self.api("POST", "/api/v1/users", {"name": name, "password": password, "role": role, "tags": list(tags)})
        return self.login_token(name, password)


@pytest.fixture(scope="session")
def weft():
    """`weft serve --demo` on a free loopback port with a fresh data directory, for the whole session."""
    data_dir = tempfile.mkdtemp(prefix="weft-ui-")
    port = free_port()
    log = open(pathlib.Path(data_dir) / "serve.log", "w")
    env = dict(os.environ, WEFT_ADMIN_PASSWORD=ADMIN_PASSWORD, WEFT_UI_DIR=str(ROOT / "Sources" / "WeftServer" / "UI"))
    process = subprocess.Popen(
        [weft_binary(), "serve", "--demo", "--data", data_dir, "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(base_url + "/api/v1/healthz", timeout=2):
                break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("weft serve --demo did not start:\n" + (pathlib.Path(data_dir) / "serve.log").read_text())
            time.sleep(0.3)
    server = Weft(base_url, data_dir, process)
    server.token = server.login_token("admin", ADMIN_PASSWORD)
    yield server
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
    log.close()
    shutil.rmtree(data_dir, ignore_errors=True)


def chromium_options(width=1280, height=800):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        f"--window-size={width},{height}", "--no-first-run", "--no-default-browser-check",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
        "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication",
        "--metrics-recording-only", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
    ]:
        options.add_argument(argument)
    return options


@pytest.fixture
def browser(request):
    """A fresh headless Chromium at 1280×800; saves a screenshot to Tests/UI/out when the test fails."""
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
                              options=chromium_options())
    driver.set_page_load_timeout(60)
    yield driver
    failed = getattr(request.node, "failed_call", False)
    if failed:
        OUT.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(OUT / f"{request.node.name}.png"))
        (OUT / f"{request.node.name}.console.txt").write_text(
            "\n".join(str(entry) for entry in driver.get_log("browser")) if hasattr(driver, "get_log") else "")
    driver.quit()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        item.failed_call = True


def wait(driver, timeout=30):
    return WebDriverWait(driver, timeout)


def login(driver, weft, name="admin", password=None):
    """Opens the UI, logs in through the form and waits for the flows list."""
    driver.get(weft.base_url + "/")
    wait(driver).until(EC.element_to_be_clickable((By.ID, "username"))).send_keys(name)
    driver.find_element(By.ID, "password").send_keys(password or weft.admin_password)
    driver.find_element(By.ID, "login-submit").click()
    wait(driver).until(EC.visibility_of_element_located((By.ID, "whoami")))


def screenshot(driver, name):
    """Saves a screenshot of the current page as Tests/UI/out/screenshots/<name>.png, and with
    WEFT_UPDATE_SCREENSHOTS=1 also as docs/screenshots/<name>.png (the README shows some)."""
    folders = [OUT / "screenshots"]
    if os.environ.get("WEFT_UPDATE_SCREENSHOTS") == "1":
        folders.append(SCREENSHOTS)
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(folder / f"{name}.png"))
