"""The web page in a real headless Chromium (Debian's, driven by Playwright): upload a
project, see the verdict and the timeline, open a finding, switch language, a failed
upload shows the located error; packs and the portfolio. ``make screenshots`` writes each
screen to docs/screenshots/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.service.conftest import EXAMPLES, REPO, Server, start_server, stop_server

CHROMIUM = os.environ.get("GOVRULES_CHROMIUM") or shutil.which("chromium") or \
    "/usr/bin/chromium"
SHOTS = REPO / "docs" / "screenshots" if os.environ.get("GOVRULES_SCREENSHOTS") else None
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).exists():
    pytest.skip(f"no Chromium at {CHROMIUM}: `make test-deps` installs Debian's chromium",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("web")
    srv = start_server(tmp, "--db", str(tmp / "store.sqlite3"))
    for name in ("guiyang-violations.yaml", "jincheng-project.yaml", "wuhai-project.yaml"):
        response = httpx.post(srv.url + "/v1/portfolio/snapshots",
                              content=(EXAMPLES / name).read_bytes(),
                              params={"name": name}, timeout=60)
        assert response.status_code == 201, response.text
    yield srv
    stop_server(srv)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=FLAGS,
            viewport={"width": 1280, "height": 900}, locale="zh-CN")
        yield context
        context.close()


def shot(page: object, name: str) -> None:
    """A full-page screenshot: into docs/screenshots with ``make screenshots``."""
    data = page.screenshot(full_page=True)  # type: ignore[attr-defined]
    assert data.startswith(b"\x89PNG")
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / name).write_bytes(data)


def test_upload_report_finding_language(web: Server, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(web.url + "/#/check")
    page.wait_for_selector("#city option[value=guiyang]", state="attached")
    assert page.locator("h2").first.inner_text() == "上传或粘贴项目快照"
    page.set_input_files("#file", str(EXAMPLES / "guiyang-violations.yaml"))
    page.click("#submit")
    page.wait_for_selector(".result .timeline")
    assert "不合规" in page.locator(".result h3 .verdict").inner_text()
    assert page.locator(".result .timeline .item").count() == 3
    assert page.locator(".result .timeline .zh").first.is_visible()
    shot(page, "check-report-zh.png")
    # open a finding with the keyboard: its article text and the explanation
    button = page.locator('button[data-rule="guiyang.12.bid-result-filed"]')
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#finding details pre")
    panel = page.locator("#finding")
    assert "第十二条" in panel.locator("h3").inner_text()
    assert panel.locator("blockquote").inner_text().strip()
    assert "null" not in panel.inner_text()
    assert "RESULT: violated" in panel.locator("pre").inner_text()
    assert page.evaluate("document.activeElement.id") == "finding"
    shot(page, "finding-explanation.png")
    # switch to English: the page and the timeline follow
    page.click("#lang")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h2").first.inner_text() == "Upload or paste a project snapshot"
    assert "non-compliant" in page.locator(".result h3 .verdict").inner_text()
    page.wait_for_selector("#finding h3:has-text('violated')")  # the open finding follows
    page.wait_for_selector("#finding details pre")
    assert page.locator(".result .timeline .en").first.is_visible()
    assert not page.locator(".result .timeline .zh").first.is_visible()
    shot(page, "check-report-en.png")
    page.click("#lang")
    assert all(url.startswith(web.url) for url in requests), requests  # offline: no CDN


def test_failed_upload_shows_the_located_error(web: Server, browser: object,
                                               tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: x\ncity: guiyang\nproject:\n  kind: spaceship\n", encoding="utf-8")
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(web.url + "/#/check")
    page.set_input_files("#file", str(bad))
    page.click("#submit")
    alert = page.locator("#check-errors")
    alert.wait_for(state="visible")
    assert alert.get_attribute("role") == "alert"
    text = alert.inner_text()
    assert "broken.yaml:4" in text
    assert "snapshot-value" in text
    shot(page, "upload-error.png")


def test_pack_browser(web: Server, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(web.url + "/#/packs")
    page.click("a[href='#/packs/guiyang']")
    article = page.locator("#art-14")
    article.locator("summary").click()
    assert "guiyang.14.quarterly-progress" in article.inner_text()
    shot(page, "pack-articles.png")


def test_portfolio_dashboard_and_history(web: Server, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(web.url + "/#/portfolio")
    page.fill("#on", "2025-11-20")
    page.fill("#days", "120")
    page.click("#view-portfolio button[type=submit]")
    page.wait_for_selector("#due-h + table")
    due = page.locator("#due-h + table").inner_text()
    assert "GY-2025-JT-017" in due
    assert "2025-12-31" in due
    shot(page, "portfolio-dashboard.png")
    page.click("#view-portfolio a[href='#/portfolio/GY-2025-JT-017']")
    page.wait_for_selector("#view-portfolio table button")
    page.click("#view-portfolio table button")
    page.wait_for_selector("#view-portfolio td .muted:has-text('逐字节一致')")
    shot(page, "project-history.png")


def test_phone_width(web: Server, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(web.url + "/#/check")
    page.set_input_files("#file", str(EXAMPLES / "guiyang-violations.yaml"))
    page.click("#submit")
    page.wait_for_selector(".result .timeline")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"
    shot(page, "check-phone.png")
