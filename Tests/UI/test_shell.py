"""The app shell: logging in, the header, logging out."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

from conftest import login, wait


def test_a_wrong_password_is_refused_with_a_message_and_the_right_one_shows_user_and_role(weft, browser):
    browser.get(weft.base_url + "/")
    wait(browser).until(EC.element_to_be_clickable((By.ID, "username"))).send_keys("admin")
    browser.find_element(By.ID, "password").send_keys("not-the-password")
    browser.find_element(By.ID, "login-submit").click()
    wait(browser).until(EC.text_to_be_present_in_element((By.ID, "login-error"), "wrong user name or password"))

    login(browser, weft)
    who = browser.find_element(By.ID, "whoami").text
    assert "admin" in who and "Manager" in who
    assert browser.find_element(By.CSS_SELECTOR, "#nav a[href='#/users']").is_displayed()

    browser.find_element(By.ID, "logout").click()
    wait(browser).until(EC.element_to_be_clickable((By.ID, "username")))
    assert not browser.find_element(By.ID, "top").is_displayed()


def test_a_reader_sees_no_users_page(weft, browser):
    weft.add_user("rita", "reader", tags=["team-a"])
    login(browser, weft, "rita", "password-rita")
    assert "Reader" in browser.find_element(By.ID, "whoami").text
    assert not browser.find_elements(By.CSS_SELECTOR, "#nav a[href='#/users']")
