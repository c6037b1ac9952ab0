"""The Nu HTML Checker and axe-core of ``../shared/tools/check_html.sh``, run the quick way for ``make test``.

check_html.sh starts a JVM for the Nu checker, a Chromium for axe and then one fresh Chromium per page
for a screenshot; on this two-core machine that was about 1.7 CPU-seconds a page, most of ``make test``'s
longest test. Locally the test only needs the two verdicts, so this runs the very same tools, installed
by check_html.sh in its cache (the same vnu.jar and axe-core versions, the same axe rule tags and the same
findings: Nu errors, axe violations, console errors, requests outside the site) with the Nu checker in
one JVM beside axe in the session's own Chromium, and no screenshots: on every page in CI (CI=true),
where check_html.sh itself then runs on one page per template and language, screenshots included. A
machine where check_html.sh has not installed its tools yet runs the script itself on the pages.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

TOOLS_DIR = Path(os.environ.get("TOOLS_DIR") or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
                 / "check-html")
NODE_MODULES = TOOLS_DIR / "node" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"


def axe_tags(script: Path) -> list[str]:
    """The axe rule tags check_html.sh uses (AXE_TAGS overrides them there as here), read from the script."""
    found = re.search(r'AXE_TAGS="\$\{AXE_TAGS:-([^}]+)\}"', script.read_text(encoding="utf-8"))
    return (os.environ.get("AXE_TAGS") or (found.group(1) if found else "")).split(",")


def available() -> str | None:
    """Why the quick check cannot run here (check_html.sh has not installed its tools yet), or None."""
    if not (VNU_JAR.is_file() and AXE_JS.is_file()):
        return f"the tools of check_html.sh are not installed in {TOOLS_DIR}"
    if subprocess.run(["java", "-version"], capture_output=True).returncode != 0:
        return "no java"
    return None


def start_nu(pages: list[Path]) -> subprocess.Popen:
    """The Nu checker over every page in one JVM (its JSON report on stdout), started in the background."""
    return subprocess.Popen(["java", "-jar", str(VNU_JAR), "--stdout", "--format", "json", "--exit-zero-always",
                             *map(str, pages)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def nu_errors(process: subprocess.Popen, timeout: float = 600) -> dict[str, list[str]]:
    """{page's real path: its Nu errors}, counted as check_html.sh counts them."""
    stdout, stderr = process.communicate(timeout=timeout)
    if not stdout.strip():
        raise RuntimeError(f"the Nu checker gave no report: {stderr[-2000:]}")
    errors: dict[str, list[str]] = {}
    for message in json.loads(stdout).get("messages", []):
        url = message.get("url", "")
        path = os.path.realpath(url[5:] if url.startswith("file:") else url)
        if message.get("type") in ("error", "non-document-error"):
            errors.setdefault(path, []).append(f"line {message.get('lastLine', '?')}: {message.get('message', '')}")
    return errors


def local_page(context) -> tuple[object, list[str], list[str]]:
    """A new page of ``context`` that refuses every request that is not a local file (the site must be
    self-contained) and collects console errors: (page, refused requests, errors)."""
    refused: list[str] = []
    errors: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            return request_route.continue_()
        refused.append(url)
        return request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, refused, errors


def axe_pages(browser, paths: list[Path], tags: list[str]) -> list[dict]:
    """axe-core on each page in ``browser`` (sync Playwright) as check_html.sh's axe_check.js does: 1280 px,
    every request outside the site refused, console errors collected, axe run once the charts are drawn.

    One browser context for all the pages, with axe-core added to each as it loads (an init script):
    a new context and axe sent over the protocol per page took 7.8 s and 9.9 s of 47 s for the 38
    pages of ``make test``; this way the 38 take 20 s. A page's refused requests and console errors
    are its own (the lists are emptied before each)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    reports = []
    try:
        context.add_init_script(path=str(AXE_JS))
        page, blocked, errors = local_page(context)
        for page_path in paths:
            blocked.clear()
            errors.clear()
            page.goto(page_path.resolve().as_uri(), wait_until="load", timeout=30_000)
            # charts.js draws every [data-figure]: wait for them (axe_check.js waits a fixed 300 ms)
            page.wait_for_function("Array.from(document.querySelectorAll('[data-figure]'))"
                                   ".every(d => d.querySelector('svg.main-svg'))", timeout=30_000)
            result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                                   "resultTypes: ['violations']})", tags)
            reports.append({"violations": [{"id": v["id"], "impact": v.get("impact"), "help": v.get("help"),
                                            "nodes": len(v.get("nodes", []))} for v in result["violations"]],
                            "console_errors": list(errors), "blocked_requests": list(blocked)})
    finally:
        context.close()
    return reports


def check(browser, site: Path, pages: list[str], script: Path) -> dict[str, dict]:
    """{page: {"nu": [errors], "axe": [violations, every impact], "console_errors", "blocked_requests"}}."""
    paths = [site / rel for rel in pages]
    nu = start_nu(paths)
    tags = axe_tags(script)
    try:
        axe = dict(zip(pages, axe_pages(browser, paths, tags), strict=True))
    finally:
        errors = nu_errors(nu)
    return {rel: {"nu": errors.get(os.path.realpath(path), []),
                  "axe": axe[rel]["violations"],
                  "console_errors": axe[rel]["console_errors"], "blocked_requests": axe[rel]["blocked_requests"]}
            for rel, path in zip(pages, paths, strict=True)}
