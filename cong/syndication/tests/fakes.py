"""Local fake servers of the Facebook Graph API and the Zalo OA Open API.

Real HTTP on 127.0.0.1 (port 0), the endpoints Cổng uses, their payloads and
their error shapes. Faults are queued per operation and consumed in order:

- ``rate_limit``: the documented rate-limit error, nothing created;
- ``server_error``: HTTP 500 with an error body, nothing created;
- ``timeout_after_create``: the post IS created, the answer comes too late;
- ``expired``: the token-expired error, nothing created;
- ``drop_after_create``: the post is created, the connection is closed unanswered.

Also used by ``bench/syndication.py`` (run as a module: ``python -m
cong.syndication.tests.fakes``).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from abc import ABC, abstractmethod
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeService(ABC):
    """Common plumbing: a threaded server, a fault queue, a request log."""

    def __init__(self, *, late_seconds: float = 2.0):
        self.lock = threading.Lock()
        self.faults: dict[str, list[str]] = {}
        self.requests: list[tuple[str, str]] = []
        self.late_seconds = late_seconds
        self.latency = 0.0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                return

            def _body(self) -> tuple[dict, dict]:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                query = {k: v[-1] for k, v in parse_qs(urlsplit(self.path).query).items()}
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    return query, (json.loads(raw) if raw else {})
                return query, {k: v[-1] for k, v in parse_qs(raw.decode()).items()}

            def _handle(self):
                query, body = self._body()
                path = urlsplit(self.path).path
                with owner.lock:
                    owner.requests.append((self.command, path))
                if owner.latency:
                    time.sleep(owner.latency)
                result = owner.route(self.command, path, query, body, dict(self.headers))
                if result is None:  # drop the connection without an answer
                    self.close_connection = True
                    return
                status, payload, delay = result if len(result) == 3 else (*result, 0)
                if delay:
                    time.sleep(delay)
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=UTF-8")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up (a timeout the test asked for)

            do_GET = do_POST = do_DELETE = _handle

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, op: str, *kinds: str) -> None:
        with self.lock:
            self.faults.setdefault(op, []).extend(kinds)

    def _fault(self, op: str) -> str | None:
        with self.lock:
            queue = self.faults.get(op) or []
            return queue.pop(0) if queue else None

    def count(self, method: str, suffix: str) -> int:
        with self.lock:
            return sum(1 for m, p in self.requests if m == method and p.endswith(suffix))

    @abstractmethod
    def route(self, method, path, query, body, headers):
        """Answer one request: (status, JSON body) of the service's protocol."""


# --- Facebook Graph API -----------------------------------------------------------


class FakeGraph(FakeService):
    VERSION = "v21.0"

    def __init__(self, *, page_id="1000123", page_name="Trang thử nghiệm", token="PAGE-TOKEN", **kw):  # noqa: S107
        super().__init__(**kw)
        self.page_id = page_id
        self.page_name = page_name
        self.tokens = {token}
        self.posts: dict[str, dict] = {}
        self._ids = itertools.count(1)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{self.VERSION}"

    @staticmethod
    def _error(status, code, message, etype="OAuthException", subcode=None, transient=False):
        error = {"message": message, "type": etype, "code": code, "fbtrace_id": "AbCdEf123"}
        if subcode:
            error["error_subcode"] = subcode
        if transient:
            error["is_transient"] = True
        return status, {"error": error}

    def _token_error(self):
        return self._error(400, 190, "Error validating access token: Session has expired on Sunday, "
                                     "29-Nov-26 01:00:00 PST.", subcode=463)

    def posts_linking(self, link: str) -> list[dict]:
        with self.lock:
            return [p for p in self.posts.values() if p["link"] == link and not p.get("deleted")]

    def route(self, method, path, query, body, headers):
        token = body.get("access_token") or query.get("access_token")
        parts = path.strip("/").split("/")[1:]  # drop the version
        if token not in self.tokens:
            return self._token_error()
        if parts == [self.page_id] and method == "GET":
            return 200, {"id": self.page_id, "name": self.page_name}
        if parts == [self.page_id, "feed"] and method == "POST":
            return self._create(body)
        if parts == [self.page_id, "feed"] and method == "GET":
            limit = int(query.get("limit", 25))
            with self.lock:
                live = [p for p in self.posts.values() if not p.get("deleted")]
            live.sort(key=lambda p: p["n"], reverse=True)
            data = [{k: p[k] for k in ("id", "message", "link", "permalink_url", "created_time")} for p in live[:limit]]
            return 200, {"data": data, "paging": {}}
        if len(parts) == 1 and parts[0] in self.posts:
            post = self.posts[parts[0]]
            if post.get("deleted"):
                return self._error(400, 100, "Unsupported request: object does not exist", "GraphMethodException", 33)
            if method == "POST":
                fault = self._fault("update")
                if fault == "rate_limit":
                    return self._error(400, 32, "(#32) Page request limit reached")
                with self.lock:
                    post["message"] = body.get("message", post["message"])
                return 200, {"success": True}
            if method == "DELETE":
                with self.lock:
                    post["deleted"] = True
                return 200, {"success": True}
        if len(parts) == 1 and "_" in parts[0]:
            return self._error(400, 100, "Unsupported request: object does not exist", "GraphMethodException", 33)
        return self._error(400, 100, f"Unknown path components: /{'/'.join(parts)}")

    def _create(self, body):
        fault = self._fault("create")
        if fault == "rate_limit":
            return self._error(400, 32, "(#32) Page request limit reached")
        if fault == "server_error":
            return self._error(500, 1, "An unknown error occurred", transient=True)
        if fault == "expired":
            return self._token_error()
        if not body.get("message") and not body.get("link"):
            return self._error(400, 100, "(#100) The parameter message or link is required")
        n = next(self._ids)
        post_id = f"{self.page_id}_{9000 + n}"
        post = {
            "n": n, "id": post_id, "message": body.get("message", ""), "link": body.get("link", ""),
            "permalink_url": f"https://www.facebook.com/{self.page_id}/posts/{9000 + n}",
            "created_time": time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime()),
        }
        with self.lock:
            self.posts[post_id] = post
        if fault == "timeout_after_create":
            return 200, {"id": post_id}, self.late_seconds
        if fault == "drop_after_create":
            return None
        return 200, {"id": post_id}


# --- Zalo OA Open API and OAuth v4 -------------------------------------------------------


class FakeZalo(FakeService):
    def __init__(self, *, app_id="4321", secret="APP-SECRET", access_token="ZALO-AT-1",  # noqa: S107
                 refresh_token="ZALO-RT-1", verify_after: int = 0, refresh_delay: float = 0.0, **kw):  # noqa: S107
        super().__init__(**kw)
        self.app_id = app_id
        self.secret = secret
        self.access_tokens = {access_token}
        self.refresh_tokens = {refresh_token}
        self.used_refresh_tokens: set[str] = set()
        self.refresh_calls = 0
        self.refresh_delay = refresh_delay
        self.verify_after = verify_after  # verify answers "processing" this many times
        self.articles: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.broadcasts: list[str] = []
        self._ids = itertools.count(1)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def live_articles(self) -> list[dict]:
        with self.lock:
            return [a for a in self.articles.values() if not a.get("removed")]

    @staticmethod
    def _ok(data=None):
        return 200, {"data": data or {}, "error": 0, "message": "Success"}

    @staticmethod
    def _err(code, message):
        return 200, {"error": code, "message": message}

    def expire_access_tokens(self):
        with self.lock:
            self.access_tokens.clear()

    def route(self, method, path, query, body, headers):
        if path == "/v4/oa/access_token":
            return self._refresh(body, headers)
        token = headers.get("access_token") or headers.get("Access_token")
        if token not in self.access_tokens:
            return self._err(-216, "Access token is invalid")
        if path == "/v2.0/oa/getoa":
            return self._ok({"oa_id": "5555", "name": "Zalo OA thử nghiệm"})
        if path == "/v2.0/article/create":
            return self._create(body)
        if path == "/v2.0/article/verify":
            entry = self.tokens.get(body.get("token", ""))
            if entry is None:
                return self._err(-201, "Token is invalid")
            with self.lock:
                entry["verifies"] += 1
                ready = entry["verifies"] > self.verify_after
            if not ready:
                return self._err(-230, "Article is being processed")
            return self._ok({"id": entry["id"]})
        if path == "/v2.0/article/update":
            article = self.articles.get(body.get("id", ""))
            if article is None or article.get("removed"):
                return self._err(-201, "Article id is invalid")
            with self.lock:
                article.update({k: v for k, v in body.items() if k != "id"})
            return self._ok({"token": f"upd-{body['id']}"})
        if path == "/v2.0/article/remove":
            article = self.articles.get(body.get("id", ""))
            if article is None:
                return self._err(-201, "Article id is invalid")
            with self.lock:
                article["removed"] = True
            return self._ok()
        if path == "/v2.0/article/getlist":
            limit = int(query.get("limit", 10))
            offset = int(query.get("offset", 0))
            arts = sorted(self.live_articles(), key=lambda a: a["n"], reverse=True)
            medias = [{"id": a["id"], "type": "normal", "title": a["title"], "status": a.get("status", "show"),
                       "total_view": 0, "total_share": 0, "create_date": a["create_date"],
                       "thumb": a["cover"]["photo_url"]} for a in arts[offset:offset + limit]]
            return self._ok({"medias": medias, "total": len(arts)})
        if path == "/v2.0/article/getdetail":
            article = self.articles.get(query.get("id", ""))
            if article is None:
                return self._err(-201, "Article id is invalid")
            return self._ok({k: v for k, v in article.items() if k not in ("n",)})
        if path == "/v2.0/oa/message":
            fault = self._fault("broadcast")
            if fault == "rate_limit":
                return self._err(-32, "Request exceeds rate limit")
            elements = body["message"]["attachment"]["payload"]["elements"]
            with self.lock:
                self.broadcasts.append(elements[0]["attachment_id"])
            return self._ok({"message_id": f"msg-{len(self.broadcasts)}"})
        return 404, {"error": -404, "message": "Not found"}

    def _create(self, body):
        fault = self._fault("create")
        if fault == "rate_limit":
            return self._err(-32, "Request exceeds rate limit")
        if fault == "server_error":
            return 500, {"error": -500, "message": "Internal server error"}
        if fault == "expired":
            return self._err(-216, "Access token is invalid")
        cover = body.get("cover") or {}
        if not cover.get("photo_url"):
            return self._err(-201, "Cover is required")
        if not body.get("title") or len(body["title"]) > 150:
            return self._err(-201, "Title is invalid")
        n = next(self._ids)
        article = {**body, "n": n, "id": f"art{7000 + n}", "create_date": int(time.time() * 1000)}
        token = f"tok{n}"
        with self.lock:
            self.articles[article["id"]] = article
            self.tokens[token] = {"id": article["id"], "verifies": 0}
        if fault == "timeout_after_create":
            return 200, {"data": {"token": token}, "error": 0, "message": "Success"}, self.late_seconds
        if fault == "drop_after_create":
            return None
        return self._ok({"token": token})

    def _refresh(self, body, headers):
        if headers.get("secret_key") != self.secret or body.get("app_id") != self.app_id:
            return 400, {"error": -14002, "error_name": "Invalid app secret", "error_reason": "app secret is invalid"}
        if self.refresh_delay:
            time.sleep(self.refresh_delay)
        rt = body.get("refresh_token", "")
        with self.lock:
            self.refresh_calls += 1
            if rt not in self.refresh_tokens:
                return 400, {"error": -14014, "error_name": "Invalid refresh token",
                             "error_reason": "Refresh token is used or expired",
                             "error_description": "Invalid refresh token"}
            self.refresh_tokens.discard(rt)
            self.used_refresh_tokens.add(rt)
            n = self.refresh_calls
            new_at, new_rt = f"ZALO-AT-R{n}", f"ZALO-RT-R{n}"
            self.access_tokens = {new_at}
            self.refresh_tokens.add(new_rt)
        return 200, {"access_token": new_at, "refresh_token": new_rt, "expires_in": "90000"}


def main():  # pragma: no cover - for the benchmark
    import argparse
    import signal

    parser = argparse.ArgumentParser()
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    graph, zalo = FakeGraph(), FakeZalo()
    graph.latency = zalo.latency = args.latency
    graph.start()
    zalo.start()
    print(json.dumps({"graph": graph.base_url, "zalo": zalo.base_url}), flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})


if __name__ == "__main__":  # pragma: no cover
    main()
