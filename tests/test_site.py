"""The self-test and the group's page, in a real browser: Debian's chromium, headless, driven by
Selenium through Debian's chromium-driver (nothing downloaded at run time). One fixture starts
the browser; each test is a member's path; a failing test keeps a screenshot in tmp_path."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizgen.cli import main
from test_anki import FIXTURE

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
PHONE, DESKTOP = (360, 740), (1280, 900)

if CHROMIUM is None or DRIVER is None:
    if os.environ.get("QUIZGEN_BROWSER_TESTS") == "required":
        raise RuntimeError("chromium and chromium-driver are required (apt-get install "
                           "chromium chromium-driver)")
    pytest.skip("no chromium / chromedriver here", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The fixture KB built as a project of one text: decks/ with the page and the self-test."""
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(FIXTURE, root / "source")
    result = CliRunner().invoke(main, ["build", str(root / "source"), "--out",
                                       str(root / "decks")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "decks"


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--no-first-run", "--lang=zh-CN"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(options=options,
                              service=webdriver.ChromeService(executable_path=DRIVER))
    yield driver
    driver.quit()


@pytest.fixture
def page(browser, request, tmp_path):
    """The browser, logs cleared; a screenshot kept if the test fails."""
    browser.get_log("performance")
    browser.get_log("browser")
    yield browser
    if getattr(request.node, "failed", False):  # set by conftest.py
        browser.save_screenshot(str(tmp_path / "failure.png"))


def open_page(driver, path: Path, size, query: str = "") -> None:
    driver.set_window_size(*size)
    driver.get(path.as_uri() + query)


def requests_made(driver, allowed: Path) -> list[str]:
    """Every URL the page asked for, other than the page itself."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            url = message["params"]["request"]["url"]
            if url.split("?")[0] != allowed.as_uri():
                urls.append(url)
    return urls


def errors_logged(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def quiz_of(decks: Path) -> dict:
    data = json.loads((decks / "quiz.json").read_text(encoding="utf-8"))
    return {q["id"]: q for q in data["variants"][0]["questions"]}


def current(driver) -> tuple[str, list]:
    stem = driver.find_element(By.ID, "stem").text
    return stem, driver.find_elements(By.CSS_SELECTOR, "#options button")


def take_quiz(driver, questions: dict, pick, keyboard: bool = False) -> tuple[int, int]:
    """Answer every question of a round; `pick(i, n)` says which option (0-based, as shown).
    Returns (right, asked), counted from quiz.json's answers."""
    right = asked = 0
    by_stem = {q["stem"]["zh"]: q for q in questions.values()}
    while driver.find_element(By.ID, "question-screen").is_displayed():
        stem, buttons = current(driver)
        q = by_stem[stem.splitlines()[0]]
        # Nothing tells the answer before the member chooses.
        assert not driver.find_elements(By.CSS_SELECTOR, "#options .right, #options .wrong")
        assert not driver.find_element(By.ID, "feedback").is_displayed()
        choice = pick(asked, len(buttons))
        chosen_option = int(buttons[choice].get_attribute("data-option"))
        if keyboard:
            driver.switch_to.active_element.send_keys(str(choice + 1) if asked % 2 else
                                                      "abcdef"[choice])
        else:
            buttons[choice].click()
        correct = chosen_option == q["answer"]
        right += correct
        asked += 1
        verdict = driver.find_element(By.ID, "verdict")
        assert verdict.is_displayed()
        assert ("答对了" if correct else "答错了") in verdict.text  # a word, not only a colour
        marked = driver.find_elements(By.CSS_SELECTOR, "#options button.right")
        assert len(marked) == 1 and "✓" in marked[0].text
        assert int(marked[0].get_attribute("data-option")) == q["answer"]
        if not correct:
            wrong = driver.find_element(By.CSS_SELECTOR, "#options button.wrong")
            assert "✗" in wrong.text
        assert q["explanation"]["zh"] in driver.find_element(By.ID, "explanation").text
        assert "部分" in driver.find_element(By.ID, "section").text
        if keyboard:
            driver.switch_to.active_element.send_keys(Keys.ENTER)
        else:
            driver.find_element(By.ID, "next").click()
    return right, asked


def test_a_member_takes_the_quiz_on_a_phone_by_tapping(page, built):
    questions = quiz_of(built)
    selftest = built / "selftest.html"
    open_page(page, selftest, PHONE, "?seed=7&lang=zh")
    page.find_element(By.ID, "start").click()
    # One column at 360 px: nothing wider than the screen.
    assert page.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    right, asked = take_quiz(page, questions, lambda i, n: i % n)
    assert asked == len(questions)
    assert page.find_element(By.ID, "score").text.startswith(f"得分：{right} / {asked}")
    missed = asked - right
    review = page.find_element(By.ID, "review")
    assert review.is_displayed() == (missed > 0)
    if missed:
        review.click()
        again_right, again_asked = take_quiz(page, questions, lambda i, n: 0)
        assert again_asked == missed
    page.save_screenshot(str(built / "phone-end.png"))
    assert requests_made(page, selftest) == []
    assert errors_logged(page) == []


def test_a_member_takes_the_quiz_by_keyboard_in_both_languages(page, built):
    questions = quiz_of(built)
    selftest = built / "selftest.html"
    open_page(page, selftest, DESKTOP, "?seed=3&lang=both")
    start = page.find_element(By.ID, "start")
    start.send_keys(Keys.ENTER)
    stem, _ = current(page)
    q = next(q for q in questions.values() if stem.startswith(q["stem"]["zh"]))
    assert q["stem"]["en"] in stem  # both languages, Chinese first
    assert page.find_element(By.CSS_SELECTOR, "#stem span").get_attribute("lang") == "zh-CN"
    right, asked = take_quiz(page, questions, lambda i, n: (i * 3) % n, keyboard=True)
    assert asked == len(questions)
    assert f"{right} / {asked}" in page.find_element(By.ID, "score").text
    assert requests_made(page, selftest) == [] and errors_logged(page) == []


def test_every_attempt_is_a_new_shuffle_and_a_seed_repeats_one(page, built):
    selftest = built / "selftest.html"

    def first_round(query: str) -> list[str]:
        open_page(page, selftest, PHONE, query)
        page.find_element(By.ID, "start").click()
        return [current(page)[0]] + [b.text for b in current(page)[1]]

    assert first_round("?seed=11") == first_round("?seed=11")
    orders = {tuple(first_round(f"?seed={seed}")) for seed in range(1, 7)}
    assert len(orders) > 1
    # "Start again" on the same page shuffles anew.
    open_page(page, selftest, PHONE, "?seed=5")
    page.find_element(By.ID, "start").click()
    questions = quiz_of(built)
    take_quiz(page, questions, lambda i, n: 0)
    seen = []
    for _ in range(4):
        page.find_element(By.ID, "again").click()
        seen.append(current(page)[0])
        take_quiz(page, questions, lambda i, n: 0)
    assert len(set(seen)) > 1


def test_english_only_and_reduced_motion(page, built):
    selftest = built / "selftest.html"
    open_page(page, selftest, PHONE, "?seed=2&lang=en")
    page.find_element(By.ID, "start").click()
    stem, buttons = current(page)
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in stem)
    css = (built / "selftest.html").read_text(encoding="utf-8")
    assert "@media (prefers-reduced-motion: reduce)" in css


def test_the_group_page_links_everything_and_asks_for_nothing(page, built):
    index = built / "index.html"
    open_page(page, index, PHONE)
    links = {a.get_attribute("href").rsplit("/", 1)[-1]
             for a in page.find_elements(By.TAG_NAME, "a")}
    assert {"sample-deck.apkg", "selftest.html", "quiz.pdf", "quiz-key.pdf", "glossary.pdf"} <= links
    for name in links:
        assert (built / name).is_file(), name
    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    assert "File → Import" in page.find_element(By.TAG_NAME, "body").text
    assert page.execute_script("return document.documentElement.scrollWidth") <= PHONE[0]
    page.save_screenshot(str(built / "group-page.png"))
    assert requests_made(page, index) == [] and errors_logged(page) == []


def test_a_perfect_round_offers_no_review_and_enter_never_answers(page, built):
    questions = quiz_of(built)
    selftest = built / "selftest.html"
    open_page(page, selftest, PHONE, "?seed=9&lang=zh")
    page.find_element(By.ID, "start").click()
    by_stem = {q["stem"]["zh"]: q for q in questions.values()}
    first = True
    while page.find_element(By.ID, "question-screen").is_displayed():
        stem, buttons = current(page)
        q = by_stem[stem]
        right = next(b for b in buttons if int(b.get_attribute("data-option")) == q["answer"])
        right.click()
        page.switch_to.active_element.send_keys(Keys.ENTER)
        if first and page.find_element(By.ID, "question-screen").is_displayed():
            # A second Enter, meant for nothing, must not answer the next question.
            page.switch_to.active_element.send_keys(Keys.ENTER)
            assert not page.find_elements(By.CSS_SELECTOR, "#options .right, #options .wrong")
            first = False
    assert page.find_element(By.ID, "score").text.startswith(
        f"得分：{len(questions)} / {len(questions)}")
    assert not page.find_element(By.ID, "review").is_displayed()
    assert page.find_element(By.ID, "again").is_displayed()
    # In Chinese only, no English label shows.
    assert not page.find_element(By.CSS_SELECTOR, "#end-screen h2 [lang=en]").is_displayed()
    assert errors_logged(page) == []
