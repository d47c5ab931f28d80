"""The interactive page in a real browser: headless Chromium against the page served on 127.0.0.1.

Needs Debian's Chromium (`scripts/install-browser`) and the page's browser files
(`scripts/install-page-assets`); without either the test is skipped and says which is missing.
It leaves a screenshot in results/browser/app.png.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulation.app import assets
from simulation.app.server import free_port, page_url, start_server, stop_server, wait_until_up

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = Path(__file__).resolve().parents[1] / "results" / "browser" / "app.png"
#: how long the first page load may take (a fresh server starts a kernel and builds the model)
LOAD_TIMEOUT_MS = 60_000
STEP_TIMEOUT_MS = 20_000


def skip_without_browser() -> None:
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed: run scripts/install-browser (needs apt-get as root)")
    missing = assets.missing_packages()
    if missing:
        names = ", ".join(f"{n}@{v}" for n, v in missing.items())
        pytest.skip(
            f"the page's browser files are missing ({names}): run scripts/install-page-assets (needs npm)"
        )
    pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The page served by a child process on a free port of 127.0.0.1; its URL."""
    skip_without_browser()
    port = free_port()
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    with log_path.open("w") as log:
        process = start_server(port=port, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(page_url(port=port), process, timeout=60)
            yield page_url(port=port)
        except (RuntimeError, TimeoutError) as e:
            raise AssertionError(f"{e}\n--- server log ---\n{log_path.read_text()}") from None
        finally:
            stop_server(process)


def week_number(text: str) -> int:
    match = re.fullmatch(r"Week (\d+) of \d+", text.strip())
    assert match, f"not a week counter: {text!r}"
    return int(match.group(1))


def test_the_page_runs_in_a_real_browser(served, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    started = time.monotonic()
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),  # a fresh --user-data-dir
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1600, "height": 1150},
        )
        try:
            page = browser.new_page()
            page.goto(served)
            week = page.locator(".snf-week")
            expect(week).to_have_text("Week 0 of 104", timeout=LOAD_TIMEOUT_MS)
            expect(page.locator(".snf-networks img")).to_have_count(1)
            expect(page.locator(".snf-outcomes img")).to_have_count(1)

            # change a control: nobody refuses contact with naasten (the slider to its minimum) ...
            refusal = page.locator(".v-slider").filter(has_text="Refusal share").get_by_role("slider")
            refusal.focus()
            refusal.press("Home")
            expect(page.get_by_text("22% of clients refuse all contact")).to_be_visible()
            # ... which takes effect when the model is rebuilt
            page.get_by_role("button", name="Reset").click()
            expect(page.get_by_text("0% of clients refuse all contact")).to_be_visible(
                timeout=STEP_TIMEOUT_MS
            )
            expect(week).to_have_text("Week 0 of 104")

            # step the model: the week counter moves and the outcome plot changes
            plot = page.locator(".snf-outcomes img")
            before = plot.screenshot()
            for expected in (1, 2, 3):
                page.get_by_role("button", name="Step").click()
                expect(week).to_have_text(f"Week {expected} of 104", timeout=STEP_TIMEOUT_MS)
            page.wait_for_timeout(300)  # let the new image paint
            assert plot.screenshot() != before, "the outcome plot did not change after three steps"

            # play on for a while, then pause
            page.get_by_role("button", name="▶").click()
            expect(week).to_have_text(re.compile(r"Week (1[2-9]|[2-9]\d|10[0-4]) of 104"), timeout=60_000)
            page.get_by_role("button", name="❚❚").click()
            expect(page.get_by_role("button", name="▶")).to_be_visible(timeout=STEP_TIMEOUT_MS)
            page.wait_for_timeout(1000)  # a week that was under way when pause was pressed finishes
            paused_at = week_number(week.inner_text())
            page.wait_for_timeout(1000)
            assert week_number(week.inner_text()) == paused_at, "the model ran on after pause"
            assert page.get_by_text("Support group (any form):").count() == 1

            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 10_000
    assert time.monotonic() - started < 120


def test_without_chromium_the_browser_test_is_skipped_with_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", tmp_path / "no-chromium")
    with pytest.raises(pytest.skip.Exception, match=r"Chromium not installed: run scripts/install-browser"):
        skip_without_browser()
