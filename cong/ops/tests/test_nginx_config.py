"""The rendered nginx configurations are accepted by nginx itself, and the
systemd units by systemd-analyze."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from cong.ops.tests.conftest import NGINX, PURGE_MODULE, ROOT


def _render(*args):
    import sys

    sys.path.insert(0, str(ROOT / "deploy" / "nginx"))
    try:
        import render
    finally:
        sys.path.pop(0)
    return render.main(list(args))


@pytest.fixture
def nginx_bin():
    if NGINX is None or not PURGE_MODULE.exists():
        pytest.skip("nginx with the cache-purge module is not installed (scripts/deploy-packages.sh)")
    return NGINX


def test_the_production_configuration_passes_nginx_t(nginx_bin, tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
                    "-out", str(cert), "-days", "1", "-subj", "/CN=binhan.gov.vn"],
                   check=True, capture_output=True)
    conf = tmp_path / "conf.d" / "cong.conf"
    _render("production", "--server-name", "binhan.gov.vn", "--server-name", "*.binhan.gov.vn",
            "--tls-cert", str(cert), "--tls-key", str(key), "--upstream", "10.0.0.11:8000",
            "--upstream", "10.0.0.12:8000", "--cache-dir", str(tmp_path / "cache"),
            "--out", str(conf))
    text = conf.read_text()
    assert "listen 443 ssl http2;" in text and "ssl_protocols TLSv1.2 TLSv1.3;" in text
    assert "return 301 https://$host$request_uri;" in text
    assert "server 10.0.0.11:8000" in text and "server 10.0.0.12:8000" in text
    assert "proxy_cache_purge cong_pages $host$request_uri;" in text
    assert "proxy_cache_use_stale error timeout updating" in text
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"load_module {PURGE_MODULE};\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ include /etc/nginx/mime.types; proxy_temp_path {tmp_path}/pt;\n"
        f"client_body_temp_path {tmp_path}/cb; access_log off; include {conf}; }}\n"
    )
    # the production file logs to /var/log/nginx, which exists with the package
    out = subprocess.run([nginx_bin, "-t", "-p", str(tmp_path), "-c", str(main)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "syntax is ok" in out.stderr


def test_the_local_configuration_passes_nginx_t(nginx_bin, tmp_path):
    run_dir = tmp_path / "run"
    _render("local", "--run-dir", str(run_dir), "--out", str(run_dir / "nginx.conf"),
            "--real-ip-from", "127.0.0.1")
    text = (run_dir / "nginx.conf").read_text()
    assert "daemon off;" in text and "set_real_ip_from 127.0.0.1;" in text
    out = subprocess.run([nginx_bin, "-t", "-p", str(run_dir), "-c", str(run_dir / "nginx.conf")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_the_systemd_units_pass_systemd_analyze_verify():
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    out = subprocess.run([str(ROOT / "deploy" / "verify-units.sh")], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "verified" in out.stdout
