"""HTTP clients of the Facebook Graph API and the Zalo OA Open API.

Every failure is sorted by what it says about the post:

- ``RetryBeforePost``: the channel refused before creating anything (rate
  limit, the connection never opened) — safe to try again later;
- ``TokenExpired``: the access token is expired or invalid;
- ``Rejected``: the channel refused the request for good (bad parameters,
  permissions) — trying again would fail the same way;
- ``OutcomeUnknown``: the request may have been carried out (timeout after
  sending, dropped connection, 5xx, Facebook's "duplicate post") — never sent
  again; the post is looked for on the channel instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import requests
from django.conf import settings
from urllib3.exceptions import NewConnectionError

# Facebook Graph error codes (developers.facebook.com/docs/graph-api/guides/error-handling)
FB_RATE_LIMIT_CODES = {4, 17, 32, 613, 80001}
FB_TOKEN_CODES = {190, 102}
FB_DUPLICATE_CODE = 506
# Zalo OA error codes (OA API v2; see anchors.md §5: the official list was not available)
ZALO_TOKEN_CODES = {-216, -124, -201}
ZALO_RATE_LIMIT_CODES = {-32, -224}
ZALO_NOT_READY_CODES = {-230}  # verify: the article is still being processed


class ChannelError(Exception):
    def __init__(self, message: str, *, code: str = "", http_status: int | None = None):
        super().__init__(message)
        self.message = message
        self.code = str(code)
        self.http_status = http_status


class RetryBeforePost(ChannelError):
    """Refused before any post exists (rate limit, no connection): safe to retry."""


class TokenExpired(ChannelError):
    """The channel's access token is expired or revoked."""


class Rejected(ChannelError):
    """The channel refused the post for good (bad request, missing permission)."""


class OutcomeUnknown(ChannelError):
    """No answer after the request left (timeout, 5xx): settled by listing, never by posting again."""


@dataclass
class Reply:
    status: int
    data: dict


def _timeout() -> float:
    return float(getattr(settings, "CONG_SYNDICATION_TIMEOUT", 20.0))


def _send(method: str, url: str, *, safe: bool, **kwargs) -> Reply:
    """One HTTP call. ``safe`` calls (reads, updates that can be repeated)
    turn every transport failure into RetryBeforePost."""
    try:
        response = requests.request(method, url, timeout=_timeout(), **kwargs)
    except requests.ConnectTimeout as exc:
        raise RetryBeforePost("Không kết nối được tới máy chủ của kênh (quá thời gian kết nối).", code="connect") from exc
    except requests.ConnectionError as exc:
        if safe or _never_sent(exc):
            raise RetryBeforePost("Không kết nối được tới máy chủ của kênh.", code="connect") from exc
        raise OutcomeUnknown("Mất kết nối sau khi đã gửi yêu cầu; chưa rõ bài đã được đăng hay chưa.", code="connection") from exc
    except requests.Timeout as exc:
        if safe:
            raise RetryBeforePost("Máy chủ của kênh không trả lời kịp.", code="timeout") from exc
        raise OutcomeUnknown("Máy chủ của kênh không trả lời kịp; chưa rõ bài đã được đăng hay chưa.", code="timeout") from exc
    try:
        data = response.json()
    except (ValueError, json.JSONDecodeError):
        data = {}
    if not isinstance(data, dict):
        data = {"data": data}
    return Reply(response.status_code, data)


def _never_sent(exc: Exception) -> bool:
    seen = exc
    while seen is not None:
        if isinstance(seen, NewConnectionError | ConnectionRefusedError):
            return True
        seen = seen.__cause__ or seen.__context__ or (seen.args[0] if seen.args and isinstance(seen.args[0], Exception) else None)
    return False


# --- Facebook ---------------------------------------------------------------------


class FacebookClient:
    def __init__(self, page_id: str, page_token: str, base_url: str | None = None):
        self.page_id = page_id
        self.token = page_token
        self.base = (base_url or settings.CONG_FACEBOOK_GRAPH_URL).rstrip("/")

    def _check(self, reply: Reply, *, creating: bool) -> dict:
        error = reply.data.get("error")
        if reply.status < 400 and not error:
            return reply.data
        error = error if isinstance(error, dict) else {}
        code = error.get("code")
        message = error.get("message") or f"HTTP {reply.status}"
        if code in FB_TOKEN_CODES:
            raise TokenExpired(
                f"Mã truy cập Trang Facebook đã hết hạn hoặc không hợp lệ ({message}).",
                code=code, http_status=reply.status,
            )
        if code in FB_RATE_LIMIT_CODES or reply.status == 429:
            raise RetryBeforePost(
                f"Facebook giới hạn số lần gọi ({message}); sẽ thử lại sau.", code=code or 429,
                http_status=reply.status,
            )
        if creating and (code == FB_DUPLICATE_CODE or reply.status >= 500):
            raise OutcomeUnknown(
                f"Facebook trả lỗi {reply.status} ({message}); chưa rõ bài đã được đăng hay chưa.",
                code=code or reply.status, http_status=reply.status,
            )
        if reply.status >= 500:
            raise RetryBeforePost(f"Facebook tạm thời lỗi ({message}).", code=code or reply.status,
                                  http_status=reply.status)
        raise Rejected(f"Facebook từ chối yêu cầu: {message}", code=code or reply.status, http_status=reply.status)

    def page_info(self) -> dict:
        reply = _send("GET", f"{self.base}/{self.page_id}", safe=True,
                      params={"fields": "id,name", "access_token": self.token})
        return self._check(reply, creating=False)

    def feed_create(self, *, message: str, link: str) -> str:
        reply = _send("POST", f"{self.base}/{self.page_id}/feed", safe=False,
                      data={"message": message, "link": link, "access_token": self.token})
        data = self._check(reply, creating=True)
        if not data.get("id"):
            raise OutcomeUnknown("Facebook không trả mã bài viết.", http_status=reply.status)
        return data["id"]

    def post_update(self, post_id: str, *, message: str) -> None:
        reply = _send("POST", f"{self.base}/{post_id}", safe=True,
                      data={"message": message, "access_token": self.token})
        self._check(reply, creating=False)

    def post_delete(self, post_id: str) -> bool:
        reply = _send("DELETE", f"{self.base}/{post_id}", safe=True, params={"access_token": self.token})
        error = reply.data.get("error") or {}
        if reply.status == 404 or error.get("code") == 100:
            return False  # gone already
        self._check(reply, creating=False)
        return True

    def feed_recent(self, limit: int = 50) -> list[dict]:
        reply = _send("GET", f"{self.base}/{self.page_id}/feed", safe=True, params={
            "fields": "id,message,link,permalink_url,created_time", "limit": limit,
            "access_token": self.token,
        })
        return list(self._check(reply, creating=False).get("data") or [])

    @staticmethod
    def permalink(post_id: str) -> str:
        page, _, post = post_id.partition("_")
        return f"https://www.facebook.com/{page}/posts/{post or page}"


# --- Zalo ---------------------------------------------------------------------------


class ZaloClient:
    def __init__(self, access_token: str, base_url: str | None = None, oauth_url: str | None = None):
        self.token = access_token
        self.base = (base_url or settings.CONG_ZALO_OPENAPI_URL).rstrip("/")
        self.oauth = (oauth_url or settings.CONG_ZALO_OAUTH_URL).rstrip("/")

    def _check(self, reply: Reply, *, creating: bool) -> dict:
        code = reply.data.get("error", 0)
        try:
            code = int(code)
        except (TypeError, ValueError):
            code = -1
        if reply.status < 400 and code == 0:
            return reply.data.get("data") or {}
        message = reply.data.get("message") or f"HTTP {reply.status}"
        if code in ZALO_TOKEN_CODES:
            raise TokenExpired(f"Mã truy cập Zalo OA hết hạn hoặc không hợp lệ ({message}).", code=code,
                               http_status=reply.status)
        if code in ZALO_RATE_LIMIT_CODES or reply.status == 429:
            raise RetryBeforePost(f"Zalo giới hạn số lần gọi ({message}); sẽ thử lại sau.", code=code,
                                  http_status=reply.status)
        if reply.status >= 500:
            if creating:
                raise OutcomeUnknown(
                    f"Zalo trả lỗi {reply.status}; chưa rõ bài đã được tạo hay chưa.", code=code,
                    http_status=reply.status,
                )
            raise RetryBeforePost(f"Zalo tạm thời lỗi ({message}).", code=code, http_status=reply.status)
        raise Rejected(f"Zalo từ chối yêu cầu: {message}", code=code, http_status=reply.status)

    def _headers(self) -> dict:
        return {"access_token": self.token}

    def oa_info(self) -> dict:
        reply = _send("GET", f"{self.base}/v2.0/oa/getoa", safe=True, headers=self._headers())
        return self._check(reply, creating=False)

    def article_create(self, article: dict) -> str:
        reply = _send("POST", f"{self.base}/v2.0/article/create", safe=False,
                      headers=self._headers(), json=article)
        data = self._check(reply, creating=True)
        if not data.get("token"):
            raise OutcomeUnknown("Zalo không trả mã tạo bài.", http_status=reply.status)
        return data["token"]

    def article_verify(self, token: str) -> str | None:
        """The article id, or None while Zalo is still processing the article."""
        reply = _send("POST", f"{self.base}/v2.0/article/verify", safe=True,
                      headers=self._headers(), json={"token": token})
        code = reply.data.get("error", 0)
        if code in ZALO_NOT_READY_CODES:
            return None
        return self._check(reply, creating=False).get("id")

    def article_update(self, article_id: str, article: dict) -> None:
        reply = _send("POST", f"{self.base}/v2.0/article/update", safe=True,
                      headers=self._headers(), json={"id": article_id, **article})
        self._check(reply, creating=False)

    def article_remove(self, article_id: str) -> None:
        reply = _send("POST", f"{self.base}/v2.0/article/remove", safe=True,
                      headers=self._headers(), json={"id": article_id})
        self._check(reply, creating=False)

    def article_list(self, limit: int = 20) -> list[dict]:
        reply = _send("GET", f"{self.base}/v2.0/article/getlist", safe=True, headers=self._headers(),
                      params={"offset": 0, "limit": limit, "type": "normal"})
        return list((self._check(reply, creating=False).get("medias")) or [])

    def article_detail(self, article_id: str) -> dict:
        reply = _send("GET", f"{self.base}/v2.0/article/getdetail", safe=True, headers=self._headers(),
                      params={"id": article_id})
        return self._check(reply, creating=False)

    def broadcast(self, article_id: str) -> None:
        """Send the article to the OA's followers (a media template message)."""
        payload = {
            "recipient": {"target": {"gender": "0"}},
            "message": {"attachment": {"type": "template", "payload": {
                "template_type": "media",
                "elements": [{"media_type": "article", "attachment_id": article_id}],
            }}},
        }
        reply = _send("POST", f"{self.base}/v2.0/oa/message", safe=False, headers=self._headers(), json=payload)
        self._check(reply, creating=True)

    def token_refresh(self, *, app_id: str, secret_key: str, refresh_token: str) -> dict:
        """OAuth v4: a new access token and a new (single-use) refresh token."""
        try:
            response = requests.post(
                f"{self.oauth}/v4/oa/access_token", timeout=_timeout(),
                headers={"secret_key": secret_key},
                data={"refresh_token": refresh_token, "app_id": app_id, "grant_type": "refresh_token"},
            )
        except requests.RequestException as exc:
            raise RetryBeforePost("Không gọi được máy chủ cấp mã của Zalo.", code="oauth") from exc
        try:
            data = response.json()
        except ValueError:
            data = {}
        if response.status_code >= 400 or data.get("error") or not data.get("access_token"):
            raise TokenExpired(
                "Zalo không cấp lại mã truy cập (mã làm mới đã dùng hoặc hết hạn): "
                f"{data.get('error_name') or data.get('error_description') or response.status_code}. "
                "Cần cấp quyền lại cho ứng dụng.",
                code=data.get("error") or response.status_code, http_status=response.status_code,
            )
        return data
