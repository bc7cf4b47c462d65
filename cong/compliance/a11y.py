"""The automated accessibility scan: axe-core run in headless Chromium over a
sample of each page type. For portals of this installation the pages are
rendered in process and handed to the browser (static files from the
project's finders), so the scan needs no running server; other portals are
loaded by address."""

from __future__ import annotations

import mimetypes
import queue
import shutil
import threading
from functools import lru_cache, partial
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

from .fetch import FetchError

IMPACTS = ("serious", "critical")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class A11yUnavailable(Exception):
    """The scan could not run (no browser, no axe-core, a page failed)."""


@lru_cache(maxsize=1)
def axe_source() -> str:
    try:
        import axe_playwright_python
    except ImportError as exc:
        raise A11yUnavailable("Chưa cài axe-core (gói axe-playwright-python).") from exc
    path = Path(axe_playwright_python.__file__).with_name("axe.min.js")
    return path.read_text(encoding="utf-8")


def chromium_path() -> str | None:
    configured = getattr(settings, "CONG_CHROMIUM", "")
    if configured:
        return configured
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Pending:
    """The result of a job queued for the browser's thread."""

    def __init__(self, out: queue.Queue):
        self._out = out
        self._value = None

    def result(self, timeout: float = 300):
        if self._value is None:
            try:
                self._value = self._out.get(timeout=timeout)
            except queue.Empty as exc:
                raise A11yUnavailable("Quét khả năng tiếp cận quá thời gian.") from exc
        ok, value = self._value
        if not ok:
            raise value
        return value


class Browser:
    """One headless Chromium for a whole check run (launching costs ~1 s).

    Playwright's sync API runs an event loop in the calling thread, where
    Django then refuses database work; so the browser lives in a thread of
    its own and only receives pre-rendered pages and static files."""

    def __init__(self):
        self._thread: threading.Thread | None = None
        self._jobs: queue.Queue = queue.Queue()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _start(self):
        executable = chromium_path()
        if executable is None:
            raise A11yUnavailable("Không tìm thấy trình duyệt Chromium để quét khả năng tiếp cận.")
        try:
            from playwright.sync_api import sync_playwright
        except ImportError as exc:
            raise A11yUnavailable("Chưa cài Playwright.") from exc
        ready: queue.Queue = queue.Queue()

        def worker():
            try:
                pw = sync_playwright().start()
                browser = pw.chromium.launch(
                    executable_path=executable, headless=True,
                    args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
                )
            except Exception as exc:  # noqa: BLE001 - reported to the caller
                ready.put(exc)
                return
            ready.put(None)
            try:
                while True:
                    job = self._jobs.get()
                    if job is None:
                        break
                    fn, out = job
                    try:
                        out.put((True, fn(browser)))
                    except Exception as exc:  # noqa: BLE001 - re-raised in the caller
                        out.put((False, exc))
            finally:
                browser.close()
                pw.stop()

        self._thread = threading.Thread(target=worker, name="cong-a11y", daemon=True)
        self._thread.start()
        error = ready.get(timeout=120)
        if error is not None:
            self._thread = None
            raise A11yUnavailable(f"Không khởi động được Chromium: {error.__class__.__name__}.")

    def submit(self, fn) -> Pending:
        """Queue ``fn(browser)`` for the browser's thread; the caller goes on
        (rendering the next portal's pages) while Chromium works."""
        if self._thread is None:
            self._start()
        out: queue.Queue = queue.Queue()
        self._jobs.put((fn, out))
        return Pending(out)

    def run(self, fn):
        """Run ``fn(browser)`` in the browser's thread and return its result."""
        return self.submit(fn).result()

    def close(self):
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join(timeout=60)
            self._thread = None


def _static_file(path: str) -> Path | None:
    from django.contrib.staticfiles import finders

    prefix = urlsplit(settings.STATIC_URL).path
    if not path.startswith(prefix):
        return None
    relative = path[len(prefix):]
    found = finders.find(relative)
    if found:
        return Path(found)
    root = getattr(settings, "STATIC_ROOT", None)
    if root and (Path(root) / relative).is_file():
        return Path(root) / relative
    return None


# Pages served by views rather than the page tree, by URL name: search, the
# gazette register, the question form (each only when its app is installed).
VIEW_PAGES = ("search", "gazette:register", "engagement:ask")


def _view_paths() -> list[str]:
    from django.urls import NoReverseMatch, reverse

    paths = []
    for name in VIEW_PAGES:
        try:
            paths.append(reverse(name))
        except NoReverseMatch:
            continue
    return paths


def sample_paths(ctx) -> list[str]:
    """One page of each type: home, a section list, a fixed page, the contact
    page, an article, and (on portals of this installation) search, the
    gazette register and the question form."""
    paths = ["/"]
    if ctx.portal is not None:
        for slug in ("tin-tuc-su-kien", "gioi-thieu", "lien-he"):
            page = ctx.find(slug)
            if page is not None:
                paths.append(page.relative_url(ctx.portal.site))
    article = ctx.article_path()
    if article:
        paths.append(article)
    if ctx.portal is not None:
        paths.extend(_view_paths())
    return [urlsplit(p).path if p.startswith("http") else p for p in dict.fromkeys(paths)]


def render_sample(ctx) -> list[tuple[str, str, str, str]]:
    """The sample pages as rendered (cached by the context's fetcher, which
    the other layout rules share)."""
    pages = []
    for path in sample_paths(ctx):
        try:
            fetched = ctx.fetcher.get(path)
        except FetchError as exc:
            raise A11yUnavailable(str(exc)) from exc
        if not fetched.ok:
            raise A11yUnavailable(f"Trang {path} trả về mã {fetched.status}; không quét được.")
        pages.append((path, ctx.fetcher.absolute(path), fetched.url, fetched.text))
    return pages


def scan_submit(ctx) -> Pending:
    """Render the sample and queue its scan in the shared browser; the
    accessibility rule of this context then waits for the result. A failure
    to render is kept and reported by the rule."""
    try:
        job = partial(_scan_pages, pages=render_sample(ctx), source=axe_source(),
                      in_process=ctx.portal is not None, host=ctx.fetcher.host)
        pending = ctx.browser.submit(job)
    except Exception as exc:  # noqa: BLE001 - re-raised by the rule, which reports it
        pending = Pending(queue.Queue())
        pending._value = (False, exc)
    ctx.cache["a11y"] = pending
    return pending


def scan_sample(ctx) -> list[dict]:
    """Serious and critical violations over the sample, one row per rule and page."""
    if "a11y" in ctx.cache:
        return ctx.cache["a11y"].result()
    pages = render_sample(ctx)
    source = axe_source()
    owner = ctx.browser if ctx.browser is not None else Browser()
    try:
        return owner.run(partial(_scan_pages, pages=pages, source=source,
                                 in_process=ctx.portal is not None, host=ctx.fetcher.host))
    finally:
        if ctx.browser is None:
            owner.close()


def _scan_pages(browser, pages, source, in_process, host) -> list[dict]:
    """Scan the pages in one browser context (runs in the browser's thread).

    In process, the pre-rendered HTML is served for the page addresses and
    static files from the project's finders; nothing else is loaded."""
    documents = {page_url: html for _, page_url, _, html in pages}

    def route(request_route):
        url = request_route.request.url.split("#")[0]
        target = urlsplit(url)
        if url in documents:
            return request_route.fulfill(status=200, body=documents[url], content_type="text/html; charset=utf-8")
        if target.hostname == host:
            found = _static_file(target.path)
            if found is not None:
                kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
                return request_route.fulfill(status=200, body=found.read_bytes(), content_type=kind)
        return request_route.abort()

    context = browser.new_context(java_script_enabled=True, bypass_csp=True)
    findings = []
    try:
        page = context.new_page()
        if in_process:
            page.route("**/*", route)
        for path, page_url, fetched_url, _ in pages:
            try:
                page.goto(page_url if in_process else fetched_url, wait_until="load", timeout=30_000)
                page.add_script_tag(content=source)
                result = page.evaluate(
                    "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                    "resultTypes: ['violations']})",
                    TAGS,
                )
            except Exception as exc:
                raise A11yUnavailable(f"Không quét được {path}: {exc.__class__.__name__}.") from exc
            findings.extend(
                {"path": path, "id": v["id"], "impact": v.get("impact"), "help": v.get("help", ""),
                 "nodes": len(v.get("nodes", []))}
                for v in result.get("violations", [])
                if v.get("impact") in IMPACTS
            )
    finally:
        context.close()
    return findings
