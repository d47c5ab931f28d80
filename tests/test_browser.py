"""The interactive page in a real browser: headless Chromium against the page served on 127.0.0.1.

Needs Debian's Chromium (`scripts/install-browser`) and the page's browser files
(`scripts/install-page-assets`); without either the test is skipped and says which is missing.
It leaves a screenshot in results/browser/app.png and the measured speed (weeks per second on the
default scenario, as played in the browser) in results/browser/speed.txt, and prints the speed.
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
SPEED = SCREENSHOT.with_name("speed.txt")
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
    match = re.fullmatch(r"Week (\d+) (?:of|van) \d+", text.strip())
    assert match, f"not a week counter: {text!r}"
    return int(match.group(1))


#: the page must run at least this many weeks per second on the default scenario (issue 11)
MIN_WEEKS_PER_SECOND = 10.0
#: weeks played while the speed is measured
MEASURED_WEEKS = 60
WEEK_AT_LEAST = """([target]) => {
    const el = document.querySelector('.snf-week');
    const m = el && el.innerText.match(/Week (\\d+)/);
    return m && parseInt(m[1]) >= target;
}"""


def test_the_page_runs_in_a_real_browser(served, tmp_path, capsys):
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
            expect(week).to_have_text("Week 0 of 208", timeout=LOAD_TIMEOUT_MS)
            expect(page.locator(".snf-networks-plot svg")).to_have_count(1)
            expect(page.locator(".snf-outcomes-plot svg")).to_have_count(1)
            expect(page.locator(".snf-networks-plot svg g[data-client]")).to_have_count(9)
            # choices are shown by their readable names
            expect(page.locator(".v-select").filter(has_text="Strategy")).to_contain_text(
                "Flexible netwerkondersteuning"
            )
            expect(page.locator(".v-select").filter(has_text="Draw every")).to_contain_text("every 5 weeks")

            # change a control: nobody refuses contact with naasten (the slider to its minimum);
            # the slider shows its value and the page says the change waits for Reset ...
            refusal = page.locator(".v-slider").filter(has_text="Refusal share").get_by_role("slider")
            refusal.focus()
            refusal.press("Home")
            expect(page.get_by_text("Refusal share: 0% · changed")).to_be_visible()
            expect(page.get_by_text("Changed - press Reset")).to_be_visible()
            expect(page.get_by_text("22% of clients refuse all contact")).to_be_visible()
            # ... and takes effect when the model is rebuilt
            page.get_by_role("button", name="Reset").click()
            expect(page.get_by_text("0% of clients refuse all contact")).to_be_visible(
                timeout=STEP_TIMEOUT_MS
            )
            expect(page.get_by_text("Changed - press Reset")).to_have_count(0)
            expect(week).to_have_text("Week 0 of 208")

            # step the model: the week counter moves and the plot follows
            plot = page.locator(".snf-outcomes-plot svg")
            for expected in (1, 2, 3):
                page.get_by_role("button", name="Step", exact=True).click()
                expect(week).to_have_text(f"Week {expected} of 208", timeout=STEP_TIMEOUT_MS)
            expect(plot).to_have_attribute("data-week", "3")

            # play, and measure how fast the weeks go by in the browser
            begin = time.monotonic()
            page.get_by_role("button", name="▶").click()
            page.wait_for_function(WEEK_AT_LEAST, arg=[3 + MEASURED_WEEKS], timeout=60_000, polling="raf")
            seconds = time.monotonic() - begin
            played = week_number(week.inner_text()) - 3
            rate = played / seconds
            with capsys.disabled():  # shown even when pytest captures output
                print(
                    f"\nweeks per second in the browser (default scenario, drawing every 5 weeks): {rate:.1f}"
                )
            SPEED.parent.mkdir(parents=True, exist_ok=True)
            SPEED.write_text(f"{rate:.1f} weeks per second (default scenario, drawing every 5 weeks)\n")
            page.get_by_role("button", name="❚❚").click()
            expect(page.get_by_role("button", name="▶")).to_be_visible(timeout=STEP_TIMEOUT_MS)
            page.wait_for_timeout(1000)  # weeks that were under way when pause was pressed finish
            paused_at = week_number(week.inner_text())
            page.wait_for_timeout(1000)
            assert week_number(week.inner_text()) == paused_at, "the model ran on after pause"
            expect(plot).to_have_attribute("data-week", str(paused_at))
            assert rate >= MIN_WEEKS_PER_SECOND, f"{rate:.1f} weeks per second, below {MIN_WEEKS_PER_SECOND}"

            # run to the end
            page.get_by_role("button", name="Run to the end").click()
            expect(week).to_have_text("Week 208 of 208", timeout=60_000)
            expect(page.get_by_text("The run is over")).to_be_visible()
            assert page.get_by_text("Support group (any form):").count() == 1

            # the page in Dutch
            page.get_by_role("button", name="Nederlands").click()
            expect(week).to_have_text("Week 208 van 208", timeout=STEP_TIMEOUT_MS)
            expect(page.get_by_role("button", name="Opnieuw")).to_be_visible()
            expect(page.get_by_text("Stramientolerantie: 0,45")).to_be_visible()

            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT), full_page=True)
        finally:
            browser.close()
    assert SCREENSHOT.stat().st_size > 10_000
    assert time.monotonic() - started < 180


def test_without_chromium_the_browser_test_is_skipped_with_the_fix(monkeypatch, tmp_path):
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", tmp_path / "no-chromium")
    with pytest.raises(pytest.skip.Exception, match=r"Chromium not installed: run scripts/install-browser"):
        skip_without_browser()
