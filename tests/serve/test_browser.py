"""The web page in a real browser: Playwright driving Debian's Chromium against a uvicorn server
started here on a free port of the loopback interface.

The tests fill the one-expense form, upload a declaration and read its table, open an item's
explanation with the keyboard, download the workbook, run a batch, switch to English, and look
at the page on a narrow window — with no error in the browser's console (a script blocked by
the Content-Security-Policy would be one). Screenshots go to ``$TOKKO_SCREENSHOTS`` when it is
set (``TOKKO_SCREENSHOTS=docs/img pytest tests/serve/test_browser.py`` refreshes the guides'
pictures), else to the test's temporary folder.

They skip, saying why, where Playwright or Chromium is missing: ``.ci/run`` installs Debian's
``chromium`` (Playwright's own browser download is not used).
"""

from __future__ import annotations

import asyncio
import io
import os
import shutil
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from tests.serve.support import EXAMPLES, NEEDS_SERVE, ROOT, WITH_WARNING, calc_json, written

pytest.importorskip("httpx", reason=NEEDS_SERVE)
pytest.importorskip("python_multipart", reason=NEEDS_SERVE)
pytest.importorskip("fastapi", reason=NEEDS_SERVE)

playwright_api = pytest.importorskip(
    "playwright.sync_api",
    reason="Playwright is not installed (pip install playwright; the browser is Debian's "
    "chromium, not Playwright's download)",
)
uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed ('tokko[serve]')")

CHROMIUM = os.environ.get("TOKKO_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

#: The console's note of an answer that is not 2xx: the tests check those answers themselves.
_STATUS_SHOWN = "Failed to load resource: the server responded with a status of"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).is_file(),
    reason=f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install "
    "chromium) or set TOKKO_CHROMIUM",
)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A uvicorn server of tokko on a free port of 127.0.0.1; its base URL."""
    from tokko.serve import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(), log_config=None, access_log=False, lifespan="off")
    instance = uvicorn.Server(config)
    thread = threading.Thread(
        target=lambda: asyncio.run(instance.serve(sockets=[sock])), daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    instance.should_exit = True
    thread.join(10)
    sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A page of 1280 × 900 whose console errors (a script or style the CSP blocked, a script
    error) and page errors fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    opened = context.new_page()
    problems: list[str] = []
    opened.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and not m.text.startswith(_STATUS_SHOWN)
            else None
        ),
    )
    opened.on("pageerror", lambda e: problems.append(str(e)))
    opened.base = server
    yield opened
    context.close()
    assert problems == []


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get("TOKKO_SCREENSHOTS")
    folder = (ROOT / wanted) if wanted else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _fits(page: Any, selector: str) -> bool:
    """Every box of ``selector`` shows its table whole, without scrolling sideways."""
    return bool(
        page.evaluate(
            "(s) => [...document.querySelectorAll(s)].every((e) => e.scrollWidth <= e.clientWidth + 1)",
            selector,
        )
    )


def test_the_form_checks_one_expense(page: Any, pictures: Path) -> None:
    """Fill the form (fiscal year, kind, business area, amount) and read eligibility, rate,
    amount, the reason and its source."""
    page.goto(page.base)
    page.select_option("#c-fiscal_year", "2023")
    page.select_option("#c-technology", "AI")
    page.select_option("#c-expense_kind", "introduction")
    page.fill("#c-business_area", "会計事務")
    page.fill("#c-amount", "1,200,000")
    page.click("#check-form button[type=submit]")
    result = page.locator("#check-result dl")
    result.wait_for()
    text = result.inner_text()
    assert "対象" in text
    assert "0.3" in text
    assert "360,000 円" in text
    assert "標準の措置率を適用しました" in text
    assert "rates.standard" in text
    assert "総務省" in text  # the source's issuer
    page.screenshot(path=str(pictures / "serve-check.png"), full_page=True)


def test_the_form_works_from_the_keyboard(page: Any) -> None:
    """Typing the amount and pressing Enter submits; the explanation opens with the keyboard."""
    page.goto(page.base)
    page.select_option("#c-fiscal_year", "2023")
    page.focus("#c-amount")
    page.keyboard.type("500000")
    page.keyboard.press("Enter")
    page.locator("#check-result dl").wait_for()
    summary = page.locator("#check-result details summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("#check-result details table").is_visible()


def test_an_excluded_expense_says_why(page: Any) -> None:
    """A standardization-target business: excluded, with the reason in words."""
    page.goto(page.base)
    page.select_option("#c-fiscal_year", "2023")
    page.fill("#c-business_area", "住民記録")
    page.fill("#c-amount", "1000000")
    page.click("#check-form button[type=submit]")
    page.locator("#check-result dl").wait_for()
    assert "システム標準化の対象事務" in page.locator("#check-result").inner_text()


def test_a_declaration_file_gives_its_table_and_the_workbook(
    page: Any, pictures: Path, tmp_path: Path
) -> None:
    """Upload a declaration: the table lists its items with warnings highlighted, the totals
    reconcile, an item's explanation opens on demand, and the workbook downloads."""
    path = written(tmp_path, "申告.json", WITH_WARNING)
    measure = int(calc_json(path)["declarations"][0]["totals"]["measure"])
    page.goto(page.base + "#declaration")
    page.set_input_files("#d-file", str(path))
    page.click("#declaration-form button[type=submit]")
    table = page.locator("#declaration-result table").first
    table.wait_for()
    rows = page.locator("#declaration-result tr.item")
    assert rows.count() == len(WITH_WARNING["items"])
    assert "AI-OCRによる申請書の読取" in rows.nth(0).inner_text()
    assert "導入年度がないため" in page.locator("#declaration-result tr.has-warning").inner_text()
    assert page.locator("#declaration-result tr.item.error").count() == 1
    totals = page.locator("#declaration-result dl.pairs").inner_text()
    assert f"{measure:,} 円" in totals
    assert "一致" in totals
    assert "INVALID_AMOUNT" in page.locator("#declaration-result .errors").inner_text()
    button = page.locator("#declaration-result button.explain").first
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.locator("#declaration-result tr.detail").first.is_visible()
    assert _fits(page, "#declaration-result .table-wrap")
    page.screenshot(path=str(pictures / "serve-declaration.png"), full_page=True)
    with page.expect_download() as download:
        page.click("text=結果を XLSX で保存")
    saved = tmp_path / "results.xlsx"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "申告-results.xlsx"
    book = openpyxl.load_workbook(saved, read_only=True)
    assert len(book.sheetnames) >= 3


def test_the_template_downloads(page: Any, tmp_path: Path) -> None:
    """The button beside the declaration form saves the workbook to fill in."""
    page.goto(page.base + "#declaration")
    with page.expect_download() as download:
        page.click("#template-download")
    assert download.value.suggested_filename == "tokko-template.xlsx"
    saved = tmp_path / "template.xlsx"
    download.value.save_as(saved)
    assert openpyxl.load_workbook(saved, read_only=True).sheetnames


def test_a_refused_file_is_shown_as_a_problem(page: Any) -> None:
    """A file the server refuses is told in words, not a crash of the page."""
    page.goto(page.base + "#declaration")
    page.set_input_files(
        "#d-file", files=[{"name": "壊れた.csv", "mimeType": "text/csv", "buffer": b"a,b\n\x00\n"}]
    )
    page.click("#declaration-form button[type=submit]")
    alert = page.locator("#declaration-result .problem")
    alert.wait_for()
    assert "壊れた.csv" in alert.inner_text()


def test_a_batch_gives_the_summary_and_the_csvs(page: Any, pictures: Path) -> None:
    """Upload a batch: one summary line per government and year, the errors, and the three
    CSVs as a zip; the tables fit a 1280 px window."""
    page.goto(page.base + "#batch")
    page.set_input_files("#b-files", [str(EXAMPLES / "review-mistakes" / "batch-sjis.csv")])
    page.click("#batch-form button[type=submit]")
    page.locator("#batch-result table").first.wait_for()
    result = page.locator("#batch-result").inner_text()
    expected = calc_json(EXAMPLES / "review-mistakes" / "batch-sjis.csv")["declarations"]
    assert page.locator("#batch-result tbody tr").count() >= len(expected)
    assert expected[0]["entity_name"] in result
    assert "batch-sjis.csv" in result  # the errors name the upload
    assert _fits(page, "#batch-result .table-wrap")
    page.screenshot(path=str(pictures / "serve-batch.png"), full_page=True)
    with page.expect_download() as download:
        page.click("text=CSV（ZIP）で保存")
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert sorted(archive.namelist()) == ["errors.csv", "results.csv", "summary.csv"]


def test_the_english_switch(page: Any) -> None:
    """The English link gives the same page in English."""
    page.goto(page.base)
    page.click("a.lang-switch")
    page.wait_for_url("**/?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#check-title").inner_text() == "Check one expense"


def test_a_narrow_window_needs_no_sideways_scrolling(page: Any, pictures: Path) -> None:
    """At 400 px wide the page fits: the form in one column, wide tables scroll in their own
    box."""
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(page.base + "#declaration")
    page.set_input_files("#d-file", str(EXAMPLES / "town-single.json"))
    page.click("#declaration-form button[type=submit]")
    page.locator("#declaration-result table").first.wait_for()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400
    page.screenshot(path=str(pictures / "serve-narrow.png"))


def test_the_api_docs_page_lists_and_tries_the_operations(page: Any) -> None:
    """/docs renders every operation of openapi.json, and 'Try it' sends a request."""
    page.goto(page.base + "docs")
    page.locator("#docs h3").first.wait_for()
    assert page.locator("#docs section.operation h3 .method").count() == 9
    operation = page.locator("section.operation", has=page.locator("#op-post-api-v1-check"))
    operation.locator("summary").click()
    operation.locator("button[type=submit]").click()
    answer = operation.locator("pre")
    answer.wait_for()
    assert '"status": "eligible"' in answer.inner_text()
