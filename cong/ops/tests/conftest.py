"""Real servers for the ops tests: the application on a local port (sharing
the test's database connection, as Django's LiveServerThread does) and a
real nginx in front of it, configured by deploy/nginx/render.py."""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path
from types import SimpleNamespace
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest

ROOT = Path(__file__).resolve().parents[3]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        """Keep the test output free of access logs."""


@pytest.fixture
def app_server(db):
    """The Django application on 127.0.0.1:<port>, in a thread that uses the
    test's own database connection, so it sees the test's records."""
    from django.core import signals
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import close_old_connections, connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    connection = connections["default"]  # the object, not the thread-local proxy
    connection.inc_thread_sharing()
    handler = {}

    def app(environ, start_response):
        # Built on the first request, after the test has set its settings.
        if "app" not in handler:
            handler["app"] = WSGIHandler()
        return handler["app"](environ, start_response)

    server = make_server("127.0.0.1", 0, app, server_class=WSGIServer,
                         handler_class=_QuietHandler)

    def serve():
        connections["default"] = connection
        server.serve_forever(poll_interval=0.05)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    state = SimpleNamespace(port=server.server_port, running=True)

    def stop():
        if state.running:
            server.shutdown()
            server.server_close()
            thread.join(5)
            state.running = False

    state.stop = stop
    try:
        yield state
    finally:
        stop()
        connection.dec_thread_sharing()
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def nginx_args():
    """Extra arguments of render.py (a test parametrizes it)."""
    return []


@pytest.fixture
def nginx(app_server, tmp_path, settings, nginx_args):
    """A real nginx (deploy/nginx/render.py local) in front of app_server,
    with the application purging it through Wagtail's frontend cache."""
    if NGINX is None:
        pytest.skip("nginx is not installed (scripts/deploy-packages.sh installs it)")
    if not PURGE_MODULE.exists():
        pytest.skip("libnginx-mod-http-cache-purge is not installed (scripts/deploy-packages.sh)")
    import sys

    sys.path.insert(0, str(ROOT / "deploy" / "nginx"))
    try:
        import render
    finally:
        sys.path.pop(0)
    port, purge_port = free_port(), free_port()
    run_dir = tmp_path / "nginx"
    conf = run_dir / "nginx.conf"
    render.main([
        "local", "--listen", f"127.0.0.1:{port}", "--purge-listen", f"127.0.0.1:{purge_port}",
        "--upstream", f"127.0.0.1:{app_server.port}", "--run-dir", str(run_dir),
        "--worker-processes", "1", "--static-root", str(tmp_path / "static"),
        "--media-root", str(tmp_path / "media"), "--out", str(conf), *nginx_args,
    ])
    proc = subprocess.Popen([NGINX, "-p", str(run_dir), "-c", str(conf)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port)
        wait_for_port(purge_port)
    except RuntimeError:
        proc.kill()
        out = proc.communicate()[0].decode(errors="replace")
        raise RuntimeError(f"nginx did not start: {out}") from None
    settings.CONG_PAGE_CACHE = "nginx"
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {"BACKEND": "cong.ops.frontend_cache.NginxPurgeBackend",
                  "LOCATION": f"http://127.0.0.1:{purge_port}"},
    }
    try:
        yield SimpleNamespace(port=port, purge_port=purge_port, run_dir=run_dir, proc=proc)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
