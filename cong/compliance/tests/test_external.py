"""The layout and technical rules against any portal by address, over real
HTTP to a local server: failures found, an unreachable address, a redirect
loop and an exhausted page budget give incomplete results, never a pass."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cong.compliance import rules as rules_mod
from cong.compliance import services
from cong.compliance.models import Status

GOOD_HOME = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Cổng Sở Xây dựng</title></head>
<body><header><a href="/"><img src="/logo.png" alt="Quốc huy"> Cổng Thông tin điện tử Sở Xây dựng tỉnh Cũ</a>
<form role="search" action="/tim/"><label for="q">Tìm</label><input id="q" type="search" name="q"></form></header>
<nav aria-label="Menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/gioi-thieu/">Giới thiệu</a></li>
<li><a href="https://dichvucong.gov.vn">Dịch vụ công trực tuyến</a></li><li><a href="/so-do-cong/">Sơ đồ cổng</a></li></ul></nav>
<main><h1>Tin mới</h1><a href="/tin/hoi-nghi/">Hội nghị</a></main>
<footer><p>Cơ quan chủ quản: Sở Xây dựng. Chịu trách nhiệm chính: Lê Văn C. Địa chỉ: 2 Lê Lợi.
Điện thoại: 0271 3888 999. Thư điện tử: sxd@cu.gov.vn</p>
<a href="/chinh-sach-bao-ve-du-lieu-ca-nhan/">Chính sách bảo vệ dữ liệu cá nhân</a>
<a href="https://tinnhiemmang.vn/danh-ba-tin-nhiem/sxd"><img src="/tnm.png" alt="Chứng nhận Tín nhiệm mạng"></a></footer>
<script src="https://emc.ncsc.gov.vn/js/emc.js" async></script></body></html>"""

BAD_HOME = """<!DOCTYPE html><html><head><title>x</title>
<script src="https://cdn.example.com/tracker.js"></script></head>
<body><div>Trang chủ</div><img src="/banner.png"><input type="text" name="q">
<a href="/tin/"></a></body></html>"""

SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           "<url><loc>http://x/</loc></url></urlset>")
SITEMAP_PAGE = "<html><body><main>" + "".join(f'<a href="/p{i}/">Trang {i}</a>' for i in range(6)) + "</main></body></html>"
PRIVACY = "<html><body><main><h1>Chính sách</h1><p>" + "Dữ liệu cá nhân được bảo vệ. " * 12 + "</p></main></body></html>"


class Handler(BaseHTTPRequestHandler):
    site = "good"

    def log_message(self, *args):
        """Keep the test output free of access logs."""

    def _send(self, status, body="", ctype="text/html; charset=utf-8", headers=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?")[0]
        if self.server.site == "loop":
            target = "/b" if path == "/" else "/"
            return self._send(302, headers=[("Location", target)])
        if self.server.site == "robots" and path == "/robots.txt":
            return self._send(200, "User-agent: *\nDisallow: /\n", "text/plain")
        if self.server.site == "bad":
            return self._send(200, BAD_HOME) if path == "/" else self._send(404, "<html></html>")
        pages = {"/": GOOD_HOME, "/so-do-cong/": SITEMAP_PAGE, "/chinh-sach-bao-ve-du-lieu-ca-nhan/": PRIVACY,
                 "/tim/": "<html><body>Kết quả</body></html>"}
        if path == "/sitemap.xml":
            return self._send(200, SITEMAP, "application/xml")
        if path in pages:
            return self._send(200, pages[path])
        return self._send(404, "<html></html>")


@pytest.fixture
def server():
    servers = []

    def start(site):
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.site = site
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        servers.append(httpd)
        return f"http://127.0.0.1:{httpd.server_address[1]}/"

    yield start
    for httpd in servers:
        httpd.shutdown()
        httpd.server_close()


def layout(*exclude):
    return [r for r in rules_mod.LAYOUT_RULES if r.check not in exclude]


def statuses(run):
    return {r.rule_id: (r.status, r.message) for r in run.results.all()}


def test_a_conforming_outside_portal_passes_the_layout_rules(db, server):
    url = server("good")
    run = services.url_check(url, rule_list=layout("accessibility", "print_save", "security_headers"), delay=0)
    got = statuses(run)
    assert {k for k, (s, _) in got.items() if s != Status.PASS} == set(), got
    assert run.portal is None and run.url == url and run.complete


def test_an_outside_portal_missing_everything_fails_each_rule(db, server):
    url = server("bad")
    run = services.url_check(url, rule_list=layout(), delay=0)
    got = statuses(run)
    assert got["TT22.DAU-TRANG"] == (Status.FAIL, "Trang chủ không có phần đầu trang (<header>).")
    assert got["TT22.CHAN-TRANG"] == (Status.FAIL, "Trang chủ không có chân trang (<footer>).")
    assert got["PDP.KHONG-MA-NGOAI"] == (Status.FAIL, "Có mã của bên thứ ba từ: cdn.example.com.")
    assert got["TT22.EMC"][0] == Status.FAIL
    assert got["TNM.NHAN"][0] == Status.FAIL
    assert got["TT22.SO-DO"] == (Status.FAIL, "Thiếu: liên kết Sơ đồ cổng, tệp sitemap.xml hợp lệ.")
    assert got["ND.ART7.TIM-KIEM"] == (Status.FAIL, "Không có ô tìm kiếm trên trang chủ.")
    assert "HTTPS" in got["TT22.HTTPS"][1]
    # The accessibility scan ran in Chromium over real HTTP and found serious violations.
    status, message = got["TT22.TIEP-CAN"]
    assert status == Status.FAIL, message
    assert "image-alt" in message
    assert run.passed == 0


def _closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def test_an_address_that_does_not_answer_is_incomplete_not_passed(db):
    url = f"http://127.0.0.1:{_closed_port()}/"
    run = services.url_check(url, rule_list=layout(), delay=0, timeout=2)
    got = statuses(run)
    assert all(s in (Status.ERROR, Status.NA) for s, _ in got.values()), got
    assert got["TT22.DAU-TRANG"][1] == f"{url} không trả lời (ConnectionError)."
    assert not run.complete and run.passed == 0


def test_a_redirect_loop_stops_with_a_clear_message(db, server):
    url = server("loop")
    run = services.url_check(url, rule_list=layout("accessibility"), delay=0)
    status, message = statuses(run)["TT22.DAU-TRANG"]
    assert status == Status.ERROR
    assert message == f"{url} chuyển hướng vòng lặp; dừng lại."
    assert not run.complete


def test_the_page_budget_is_never_exceeded(db, server):
    url = server("good")
    run = services.url_check(url, budget=2, rule_list=layout("accessibility"), delay=0)
    messages = [m for s, m in statuses(run).values() if s == Status.ERROR]
    assert "Đã hết số trang được phép tải (2); kết quả chưa đầy đủ." in messages
    assert run.notes == ["Đã tải 2/2 trang."]
    assert not run.complete


def test_a_site_whose_robots_txt_disallows_the_crawl_is_not_fetched(db, server):
    url = server("robots")
    run = services.url_check(url, rule_list=layout("accessibility"), delay=0)
    status, message = statuses(run)["TT22.DAU-TRANG"]
    assert status == Status.ERROR
    assert message == "Tệp robots.txt của 127.0.0.1 không cho phép tải /; kết quả chưa đầy đủ."
    assert not run.complete and run.passed == 0
