"""Start the interactive page with solara's server, on this machine only by default.

`serve()` runs `solara run simulation.app.page` in production mode as a child process with the
same Python, waits until the page answers, optionally opens a browser, and stops the server when
interrupted. Solara's telemetry is switched off and production mode skips its check-in with
solara.dev: the page sends nothing anywhere. Its browser files come from solara's local asset
folder (see `scripts/install-page-assets`), not from a CDN.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import webbrowser
from pathlib import Path

from simulation.app import assets

#: the module solara serves
PAGE_MODULE = "simulation.app.page"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def solara_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for the server: no telemetry, no call home, the project importable."""
    env = dict(os.environ if base is None else base)
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    env.setdefault("MPLBACKEND", "Agg")
    # solara warns on every page load that plain http on 127.0.0.1 gets lax cookies: expected here
    quiet = "ignore:Cookies with samesite=none require https:UserWarning"
    env["PYTHONWARNINGS"] = ",".join(w for w in (env.get("PYTHONWARNINGS", ""), quiet) if w)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def server_command(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> list[str]:
    """The command that serves the page (solara's CLI, with this Python)."""
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        PAGE_MODULE,
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-open",
        "--log-level",
        "warning",
    ]


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port that is free on `host` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def page_url(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return f"http://{shown}:{port}/"


def wait_until_up(url: str, process: subprocess.Popen | None = None, timeout: float = 60.0) -> None:
    """Poll `url` until it answers (HTTP 200), the process dies, or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the page server stopped with exit status {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.25)
    raise TimeoutError(f"the page at {url} did not answer within {timeout:.0f} s")


def start_server(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    stdout=None,
    stderr=None,
) -> subprocess.Popen:
    """Start the page server as a child process and return it (not yet waited for)."""
    return subprocess.Popen(
        server_command(host, port),
        env=solara_environment(),
        stdout=stdout,
        stderr=stderr,
    )


def stop_server(process: subprocess.Popen, timeout: float = 10.0) -> None:
    """Stop a server started by `start_server` (terminate, then kill if it does not stop)."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, open_browser: bool = False) -> int:
    """Serve the interactive page until interrupted (Ctrl-C or SIGTERM); return the exit status.

    Binds to 127.0.0.1 unless another `host` is given (e.g. 0.0.0.0 to let other machines in).
    `port=0` picks a free port. With `open_browser`, the default browser opens the page once it
    answers. The solara server runs as a child process and is stopped with this function.
    """
    missing = assets.missing_packages()
    if missing:
        names = ", ".join(f"{n}@{v}" for n, v in missing.items())
        print(
            f"warning: the page's browser files are missing ({names}); the page stays blank on a "
            "machine without internet access. Run scripts/install-page-assets first.",
            file=sys.stderr,
        )
    if port == 0:
        port = free_port(host if host not in ("0.0.0.0", "") else DEFAULT_HOST)
    url = page_url(host, port)
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main_thread else None
    process = start_server(host, port)
    try:
        wait_until_up(url, process, timeout=120)
        print(f"The page is at {url} (Ctrl-C stops it)", flush=True)
        if open_browser:
            webbrowser.open(url)
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop_server(process)
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # pragma: no cover - `python -m simulation.app.server`
    raise SystemExit(serve())
