"""The browser files the page needs, kept on this machine instead of fetched from a CDN.

Solara's page loads its JavaScript and CSS (the Vuetify app, require.js, fonts) from a CDN through
its own server, which caches them in a folder (`proxy_cache_dir`, inside the virtualenv). This
machine reaches no CDN, so those npm packages are put in that folder beforehand with `npm pack`
from the npm registry: `python -m simulation.app.assets` (or `scripts/install-page-assets`).
The versions are read from the installed solara, so an upgrade asks for the right ones.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

#: packages the page's template loads (the Vuetify 3 or 2 app, by the installed ipyvuetify), and the
#: grid SolaraViz uses for its components
PACKAGE_NAMES = (
    "@widgetti/solara-vuetify3-app",
    "@widgetti/solara-vuetify-app",
    "requirejs",
    "font-awesome",
    "@widgetti/vue-grid-layout",
)
#: used if the installed solara does not name a version (font-awesome is a setting, not in a template)
FALLBACK_VERSIONS = {"font-awesome": "4.5.0"}


def solara_root() -> Path:
    import solara

    return Path(solara.__file__).parent


def cache_dir() -> Path:
    """Where solara's server looks for CDN files before going to the network."""
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def needed_packages(root: Path | None = None) -> dict[str, str]:
    """Package name -> version the installed solara asks for (read from its sources)."""
    root = root or solara_root()
    texts = []
    for pattern in ("server/templates/*.j2", "widgets/vue/*.vue", "server/settings.py"):
        texts += [p.read_text(encoding="utf-8", errors="replace") for p in root.glob(pattern)]
    text = "\n".join(texts)
    from solara.util import IPYVUETIFY_V3

    unused = "@widgetti/solara-vuetify-app" if IPYVUETIFY_V3 else "@widgetti/solara-vuetify3-app"
    found: dict[str, str] = {}
    for name in (n for n in PACKAGE_NAMES if n != unused):
        versions = sorted(set(re.findall(re.escape(name) + r"@([0-9][0-9A-Za-z.\-]*[0-9A-Za-z])", text)))
        if versions:
            found[name] = versions[-1]
        elif name in FALLBACK_VERSIONS:
            found[name] = FALLBACK_VERSIONS[name]
    return found


def is_installed(name: str, version: str, folder: Path | None = None) -> bool:
    return ((folder or cache_dir()) / f"{name}@{version}" / "package.json").exists()


def missing_packages(folder: Path | None = None) -> dict[str, str]:
    """The needed packages not yet in solara's asset folder."""
    return {n: v for n, v in needed_packages().items() if not is_installed(n, v, folder)}


def npm_pack(name: str, version: str, folder: Path) -> Path:
    """Fetch one npm package with `npm pack` and unpack it as `folder/name@version`."""
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm not found: install Node.js and npm (Debian: apt-get install npm)")
    target = folder / f"{name}@{version}"
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [npm, "pack", f"{name}@{version}", "--silent"],
            cwd=tmp,
            check=True,
            capture_output=True,
            text=True,
        )
        tarball = Path(tmp) / out.stdout.strip().splitlines()[-1]
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp, filter="data")
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(Path(tmp) / "package"), str(target))
    return target


def install(folder: Path | None = None) -> list[Path]:
    """Put every missing package in solara's asset folder; return what was added."""
    folder = folder or cache_dir()
    return [npm_pack(n, v, folder) for n, v in missing_packages(folder).items()]


def main() -> int:
    folder = cache_dir()
    missing = missing_packages(folder)
    if not missing:
        print(f"install-page-assets: all of the page's browser files are in {folder}")
        return 0
    for name, version in missing.items():
        print(f"install-page-assets: npm pack {name}@{version}", flush=True)
        try:
            npm_pack(name, version, folder)
        except (RuntimeError, subprocess.CalledProcessError) as e:
            detail = getattr(e, "stderr", "") or ""
            print(
                f"install-page-assets: could not fetch {name}@{version}: {e} {detail}".strip(),
                file=sys.stderr,
            )
            return 1
    print(f"install-page-assets: done, in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
