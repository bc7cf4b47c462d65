#!/usr/bin/env python3
"""Render Cổng's nginx configuration from the templates beside this file.

    # production: one file for /etc/nginx/conf.d/ (TLS, the Debian nginx
    # package loads the cache-purge module itself)
    deploy/nginx/render.py production --server-name binhan.gov.vn \\
        --server-name '*.binhan.gov.vn' --tls-cert /etc/letsencrypt/live/binhan.gov.vn/fullchain.pem \\
        --tls-key /etc/letsencrypt/live/binhan.gov.vn/privkey.pem \\
        --upstream 127.0.0.1:8000 --out /etc/nginx/conf.d/cong.conf

    # this machine: a complete nginx.conf on one port, no TLS
    deploy/nginx/render.py local --listen 127.0.0.1:8080 --upstream 127.0.0.1:8000 \\
        --run-dir var/nginx --out var/nginx/nginx.conf

Standard library only, so it runs before the virtualenv exists.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PURGE_MODULE = "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so"


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    if "@" in text.replace("@@", ""):
        leftover = [w for w in text.split() if w.startswith("@") and w.endswith("@")]
        if leftover:
            raise SystemExit(f"unfilled placeholders: {leftover}")
    return text


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else line for line in text.splitlines())


def _snippet(name: str) -> str:
    text = (HERE / name).read_text()
    return "\n".join(line for line in text.splitlines() if not line.startswith("#"))


def search_gate_socket(args) -> str:
    """The search gate's socket: /run in production, the run directory here
    (or /tmp when that path is too long for a unix socket)."""
    if args.mode == "production":
        return "/run/cong-search-gate.sock"
    run_dir = Path(args.run_dir).resolve()
    path = str(run_dir / "search-gate.sock")
    if len(path) > 100:
        digest = hashlib.sha256(str(run_dir).encode()).hexdigest()[:12]
        path = str(Path(tempfile.gettempdir()) / f"cong-search-gate-{digest}.sock")
    return path


def render(args) -> str:
    proxy_params = _snippet("proxy-params.conf")
    page_cache = _snippet("page-cache.conf")
    upstreams = "\n".join(
        f"    server {u} max_fails=1 fail_timeout=5s;" for u in args.upstream
    )
    common = {
        "CACHE_DIR": str(Path(args.cache_dir).resolve()) if args.mode == "local" else args.cache_dir,
        "CACHE_MAX_SIZE": args.cache_max_size,
        "UPSTREAM_SERVERS": upstreams,
        "STATIC_ROOT": str(Path(args.static_root).resolve()),
        "MEDIA_ROOT": str(Path(args.media_root).resolve()),
        "PURGE_PORT": args.purge_listen.rsplit(":", 1)[-1],
        "PURGE_LISTEN": args.purge_listen,
        "PURGE_ALLOW_EXTRA": "\n".join(f"        allow {net};" for net in args.purge_allow),
        "PURGE_ACCESS_LOG": "off",
        "SEARCH_GATE_SOCKET": search_gate_socket(args),
        "SEARCH_CONCURRENCY": str(args.search_concurrency),
        "SEARCH_IN_FLIGHT": str(max(args.search_in_flight, args.search_concurrency)),
        "SEARCH_REFRESH_IN_FLIGHT": str(max(1, min(args.search_refresh_in_flight, args.search_in_flight))),
        "SEARCH_QUEUE": str(max(1, args.search_queue)),
        "SEARCH_GATE_RATE": args.search_rate,
        "SEARCH_CLIENT_RATE": args.search_client_rate,
        "SEARCH_CLIENT_BURST": str(args.search_client_burst),
        "ERRORS_DIR": str(HERE / "errors"),
    }
    http = _fill((HERE / "http.conf.in").read_text(), common)
    if args.real_ip_from:
        # nginx behind a load balancer (or the load test on loopback): the
        # client's address comes from X-Forwarded-For set by those proxies.
        http += "\n" + "\n".join(f"set_real_ip_from {net};" for net in args.real_ip_from)
        http += "\nreal_ip_header X-Forwarded-For;\nreal_ip_recursive on;\n"
    locations = (HERE / "locations.conf.in").read_text()
    locations = locations.replace("@PROXY_PARAMS@", _indent(proxy_params, 8).lstrip())
    locations = locations.replace("@PAGE_CACHE@", _indent(page_cache, 8).lstrip())
    locations = _fill(locations, common)
    purge = _fill((HERE / "purge-server.conf.in").read_text(), common)
    purge += "\n" + _fill((HERE / "search-gate.conf.in").read_text(), common)
    if args.mode == "production":
        servers = (HERE / "production-servers.conf.in").read_text()
        servers = servers.replace("@PROXY_PARAMS@", _indent(proxy_params, 8).lstrip())
        servers = _fill(servers, {
            **common,
            "SERVER_NAMES": " ".join(args.server_name),
            "TLS_CERT": args.tls_cert,
            "TLS_KEY": args.tls_key,
            "LOCATIONS": locations,
        })
        return "\n".join([http, purge, servers])
    run_dir = Path(args.run_dir).resolve()
    return _fill((HERE / "local-nginx.conf.in").read_text(), {
        "USER_LINE": "user root;" if os.geteuid() == 0 else "",
        "WORKER_PROCESSES": str(args.worker_processes),
        "RUN_DIR": str(run_dir),
        "PURGE_MODULE": PURGE_MODULE,
        "HTTP": _indent(http, 4),
        "ACCESS_LOG": f"{run_dir}/access.log cong_main" if args.access_log else "off",
        "LISTEN": args.listen,
        "LOCATIONS": _indent(locations, 4),
        "PURGE_SERVER": _indent(purge, 4),
    })


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["production", "local"])
    parser.add_argument("--upstream", action="append", default=None,
                        help="host:port of an application server (repeat for several)")
    parser.add_argument("--listen", default="127.0.0.1:8080", help="local: where nginx listens")
    parser.add_argument("--purge-listen", default="127.0.0.1:8081",
                        help="where nginx accepts PURGE from the application")
    parser.add_argument("--purge-allow", action="append", default=[],
                        help="network of application servers allowed to purge (besides localhost)")
    parser.add_argument("--real-ip-from", action="append", default=[],
                        help="trust X-Forwarded-For from this proxy network (a load balancer)")
    parser.add_argument("--run-dir", default=str(ROOT / "var" / "nginx"))
    parser.add_argument("--cache-dir", default=None)
    parser.add_argument("--cache-max-size", default="2g")
    parser.add_argument("--static-root", default=os.environ.get("DJANGO_STATIC_ROOT", str(ROOT / "var" / "static")))
    parser.add_argument("--media-root", default=os.environ.get("MEDIA_ROOT", str(ROOT / "var" / "media")))
    parser.add_argument("--worker-processes", default="auto")
    parser.add_argument("--search-concurrency", type=int, default=4,
                        help="searches missing the cache that go to the application at once, "
                             "before the rate spaces the rest out (keep it below the "
                             "application's worker threads)")
    parser.add_argument("--search-in-flight", type=int, default=6,
                        help="searches missing the cache at the application at a time, running or "
                             "waiting there for a thread while it is slow or stalled); more get "
                             "503 (keep it below the application's worker threads)")
    parser.add_argument("--search-refresh-in-flight", type=int, default=3,
                        help="of those, refreshes of expired cached searches (nginx's background "
                             "updates, while the stale copy answers): the rest stay for searches "
                             "citizens wait for")
    parser.add_argument("--search-queue", type=int, default=100,
                        help="searches missing the cache that wait their turn; more get 503")
    parser.add_argument("--search-rate", default="20r/s",
                        help="searches missing the cache sent to the application per second")
    parser.add_argument("--search-client-rate", default="1r/s",
                        help="searches per citizen address (cache hits included)")
    parser.add_argument("--search-client-burst", type=int, default=30)
    parser.add_argument("--access-log", action="store_true", help="local: write an access log")
    parser.add_argument("--server-name", action="append", default=[])
    parser.add_argument("--tls-cert", default="/etc/ssl/cong/fullchain.pem")
    parser.add_argument("--tls-key", default="/etc/ssl/cong/privkey.pem")
    parser.add_argument("--out", default="-")
    args = parser.parse_args(argv)
    args.upstream = args.upstream or ["127.0.0.1:8000"]
    if args.cache_dir is None:
        args.cache_dir = (str(Path(args.run_dir) / "cache") if args.mode == "local"
                          else "/var/cache/nginx/cong")
    if args.mode == "production" and not args.server_name:
        parser.error("production needs at least one --server-name")
    text = render(args)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
    if args.mode == "local":
        run_dir = Path(args.run_dir)
        for sub in ("client_body", "proxy_temp", "fastcgi_temp", "uwsgi_temp", "scgi_temp"):
            (run_dir / sub).mkdir(parents=True, exist_ok=True)
        Path(args.cache_dir).mkdir(parents=True, exist_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
