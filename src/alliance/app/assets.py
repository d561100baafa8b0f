"""Serve the app without a CDN: fill Solara's asset cache from the npm registry.

Solara's page loads a few front-end packages (its Vuetify app, RequireJS, Font Awesome, and for
Markdown mermaid and KaTeX) through
its own CDN proxy, which fetches them from a public CDN on first use and caches them in
``solara.settings.assets.proxy_cache_dir``. On machines that reach package registries but no CDN
(CI, air-gapped workstations) the page never loads. ``ensure_assets()`` reads the package specs
from Solara's page template and, for each one missing from the cache, runs ``npm pack`` (the npm
registry's ordinary client) and unpacks the tarball where the proxy looks first.

The same cache holds plotly.js's cartesian partial bundle (``PARTIAL_BUNDLE``, the version of the
plotly.js that plotly.py ships): the app's charts need only its trace types, and the browser parses
1.5 MB instead of 4.8 MB before the first chart draws (``chart.serve_plotly_js`` serves it).

Run it once with ``python -m alliance.app.assets``; it does nothing when all is cached.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

_SPEC = re.compile(r"\{\{\s*cdn\s*\}\}/((?:@[\w.-]+/)?[\w.-]+@[\w.-]+)/")
_COMPONENT_SPEC = re.compile(r"getCdn\(\)\}/((?:@[\w.-]+/)?[\w.-]+@[\d][\w.-]*)/")
PARTIAL_BUNDLE = "plotly.js-cartesian-dist-min"
PARTIAL_BUNDLE_FILE = "plotly-cartesian.min.js"
COMPONENTS_USED = ("markdown.py",)
"""Solara components the app uses that load packages through the CDN proxy themselves (Markdown
loads mermaid and KaTeX on every page that shows Markdown)."""


def required_packages() -> list[str]:
    """npm specs (``name@version``) the Solara page template loads through its CDN proxy."""
    import solara.server

    template = Path(solara.server.__file__).parent / "templates" / "solara.html.j2"
    specs = set(_SPEC.findall(template.read_text(encoding="utf-8")))
    components = Path(solara.server.__file__).parents[1] / "components"
    for name in COMPONENTS_USED:
        specs.update(_COMPONENT_SPEC.findall((components / name).read_text(encoding="utf-8")))
    from solara.server import settings

    fa = settings.assets.fontawesome_path.strip("/").split("/")[0]
    if settings.assets.fontawesome_enabled and "@" in fa:
        specs.add(fa)
    specs.add(partial_bundle_spec())
    return sorted(specs)


def partial_bundle_spec() -> str:
    """npm spec of the cartesian plotly.js bundle matching the installed plotly.py's plotly.js."""
    from plotly.offline import get_plotlyjs_version

    return f"{PARTIAL_BUNDLE}@{get_plotlyjs_version()}"


def partial_bundle_dir(cache: Path | None = None) -> Path | None:
    """Folder holding ``PARTIAL_BUNDLE_FILE`` in the asset cache, or None if it is not cached."""
    where = (cache or cache_dir()) / partial_bundle_spec()
    return where if (where / PARTIAL_BUNDLE_FILE).is_file() else None


def cache_dir() -> Path:
    from solara.server import settings

    return Path(settings.assets.proxy_cache_dir)


def missing(cache: Path | None = None) -> list[str]:
    cache = cache or cache_dir()
    return [s for s in required_packages() if not (cache / s).is_dir()]


def _unpack(tgz: Path, dest: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=".unpack-", dir=dest.parent))
    try:
        with tarfile.open(tgz) as tar:
            tar.extractall(tmp, filter="data")
        (tmp / "package").rename(dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def ensure_assets(cache: Path | None = None, timeout_s: float = 300) -> list[str]:
    """Fetch every missing package with ``npm pack`` into the cache; returns what was added.

    Raises ``RuntimeError`` with npm's message if npm is missing or a package cannot be fetched.
    """
    cache = cache or cache_dir()
    todo = missing(cache)
    if not todo:
        return []
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"npm is needed to fetch {', '.join(todo)} for offline use")
    with tempfile.TemporaryDirectory() as work:
        for spec in todo:
            proc = subprocess.run([npm, "pack", spec, "--silent"], cwd=work, capture_output=True,
                                  text=True, timeout=timeout_s)
            if proc.returncode != 0:
                raise RuntimeError(f"npm pack {spec} failed: {proc.stderr.strip()[-500:]}")
            tgz = Path(work) / proc.stdout.strip().splitlines()[-1]
            dest = cache / spec
            dest.parent.mkdir(parents=True, exist_ok=True)
            if not dest.exists():
                _unpack(tgz, dest)
    return todo


def main() -> int:
    """``python -m alliance.app.assets``: fetch what is missing; exit 2 with one line on failure."""
    try:
        added = ensure_assets()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"added {', '.join(added)} to {cache_dir()}" if added else f"all assets cached in {cache_dir()}")
    return 0


if __name__ == "__main__":  # pragma: no cover - command-line use
    sys.exit(main())
