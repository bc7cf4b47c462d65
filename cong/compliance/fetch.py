"""Fetching a portal's rendered pages: in process for portals of this
installation (through the full middleware stack, as a browser on HTTPS
would), over HTTP for any other portal by address, politely and within a
page budget."""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup
from django.test.signals import setting_changed


class FetchError(Exception):
    """A page could not be fetched; the message is for people (Vietnamese)."""


@dataclass
class Fetched:
    url: str
    status: int
    headers: dict[str, str]
    text: str
    location: str = ""

    _soup: BeautifulSoup | None = None

    @property
    def soup(self) -> BeautifulSoup:
        if self._soup is None:
            self._soup = BeautifulSoup(self.text, "lxml")
        return self._soup

    @property
    def ok(self) -> bool:
        return self.status == 200

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


class Fetcher(ABC):
    """Base: caches pages by path and counts them against the budget."""

    def __init__(self, base_url: str, budget: int = 40):
        self.base_url = base_url.rstrip("/") + "/"
        parts = urlsplit(self.base_url)
        self.scheme, self.host = parts.scheme, parts.hostname or ""
        self.budget = budget
        self.fetched = 0
        self._cache: dict[tuple[str, bool], Fetched] = {}

    def absolute(self, path: str) -> str:
        return urljoin(self.base_url, path)

    def same_site(self, url: str) -> bool:
        return (urlsplit(urljoin(self.base_url, url)).hostname or "") == self.host

    def get(self, path: str, *, secure: bool = True) -> Fetched:
        key = (path, secure)
        if key in self._cache:
            return self._cache[key]
        if self.fetched >= self.budget:
            raise FetchError(f"Đã hết số trang được phép tải ({self.budget}); kết quả chưa đầy đủ.")
        self.fetched += 1
        page = self._get(path, secure=secure)
        self._cache[key] = page
        return page

    @abstractmethod
    def _get(self, path: str, *, secure: bool) -> Fetched:
        """Fetch one page (in process, or over HTTP)."""


_HANDLER = None


def _shared_handler():
    """One request handler (its middleware loaded once) for every in-process fetch."""
    global _HANDLER
    if _HANDLER is None:
        from django.test.client import ClientHandler

        _HANDLER = ClientHandler(enforce_csrf_checks=False)
    return _HANDLER


def _forget_handler(**kwargs):
    """Middleware reads settings when loaded: a changed setting (tests)
    needs a new handler."""
    global _HANDLER
    _HANDLER = None


setting_changed.connect(_forget_handler)


class PortalFetcher(Fetcher):
    """A portal of this installation, rendered in process by host name."""

    def __init__(self, portal, budget: int = 40):
        super().__init__(f"https://{portal.site.hostname}/", budget=budget)
        self.portal = portal

    def _get(self, path, *, secure):
        from django.test import Client

        # Behind the production proxy the scheme arrives in X-Forwarded-Proto.
        # A fresh client per page (no cookies carried over), one handler for
        # all: building a handler loads the middleware, and WhiteNoise's scan
        # of the static files alone costs ~0.2 s.
        client = Client(HTTP_HOST=self.host, HTTP_X_FORWARDED_PROTO="https" if secure else "http")
        client.handler = _shared_handler()
        try:
            response = client.get(urlsplit(path).path or "/", secure=secure)
        except Exception as exc:  # a crashing page is a finding, not a crash of the check
            raise FetchError(f"Trang {path} gây lỗi khi hiển thị: {exc.__class__.__name__}") from exc
        body = b"" if getattr(response, "streaming", False) else response.content
        if getattr(response, "streaming", False):
            body = b"".join(response.streaming_content)
        headers = {k.lower(): v for k, v in response.items()}
        return Fetched(
            url=self.absolute(path), status=response.status_code, headers=headers,
            text=body.decode(response.charset or "utf-8", "replace"),
            location=headers.get("location", ""),
        )


class HttpFetcher(Fetcher):
    """Any portal by address: real HTTP, a short timeout, a pause between
    requests, no redirect loops, never more pages than the budget, nothing
    the site's robots.txt disallows."""

    def __init__(self, base_url: str, budget: int = 20, timeout: float = 10.0, delay: float = 0.2):
        super().__init__(base_url, budget=budget)
        import requests

        self.timeout, self.delay = timeout, delay
        self.session = requests.Session()
        self.session.max_redirects = 5
        self.session.headers["User-Agent"] = "Cong-compliance-check/1.0 (+kiem tra tuan thu)"
        self._last = 0.0
        self._robots = None

    def _allowed(self, url: str) -> bool:
        """The site's robots.txt, read once (not counted in the page budget);
        a site without one, or one that does not answer, allows everything."""
        import requests

        if self._robots is None:
            from urllib.robotparser import RobotFileParser

            self._robots = RobotFileParser()
            try:
                response = self.session.get(self.absolute("/robots.txt"), timeout=self.timeout)
                lines = response.text.splitlines() if response.status_code == 200 else []
            except requests.RequestException:
                lines = []
            self._robots.parse(lines)
            self._last = time.monotonic()
        return self._robots.can_fetch(self.session.headers["User-Agent"], url)

    def _get(self, path, *, secure):
        import requests

        url = self.absolute(path)
        if not self._allowed(url):
            raise FetchError(f"Tệp robots.txt của {self.host} không cho phép tải {urlsplit(url).path}; "
                             "kết quả chưa đầy đủ.")
        if not secure and url.startswith("https://"):
            url = "http://" + url[len("https://"):]
        wait = self._last + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        try:
            response = self.session.get(url, timeout=self.timeout, allow_redirects=secure)
        except requests.TooManyRedirects as exc:
            raise FetchError(f"{url} chuyển hướng vòng lặp; dừng lại.") from exc
        except requests.RequestException as exc:
            raise FetchError(f"{url} không trả lời ({exc.__class__.__name__}).") from exc
        headers = {k.lower(): v for k, v in response.headers.items()}
        if response.is_redirect and not secure:
            return Fetched(url=url, status=response.status_code, headers=headers, text="",
                           location=headers.get("location", ""))
        text = response.content[:5_000_000].decode(response.encoding or "utf-8", "replace")
        return Fetched(url=response.url, status=response.status_code, headers=headers, text=text,
                       location=headers.get("location", ""))
