"""Backups: a verified archive of the database and the media, restored
identical into an empty installation, refused into one holding data unless
forced; taken under write load; kept by a retention rule."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from cong.security import backups
from cong.security.backups import BackupError

ROOT = Path(__file__).resolve().parents[3]
sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'")
postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'")


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _norm(value):
    # Django's connection converts dates and booleans on reading; a plain one does not.
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, bool):
        return str(int(value))
    return str(value)


def sqlite_tables(conn) -> dict[str, list]:
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    out = {}
    for n in names:
        try:
            rows = conn.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall()  # noqa: S608
        except sqlite3.OperationalError:  # WITHOUT ROWID tables (full-text index)
            rows = sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)  # noqa: S608
        out[n] = [tuple(_norm(v) for v in row) for row in rows]
    return out


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    (root / "tai-lieu" / "2026").mkdir(parents=True)
    (root / "tai-lieu" / "2026" / "Báo cáo quý.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(5000))
    (root / "rong.txt").write_bytes(b"")
    archive = tmp_path / "audit-archive"
    archive.mkdir()
    settings.CONG_AUDIT_ARCHIVE_DIR = str(archive)
    (archive / "audit-2024-01.jsonl.gz").write_bytes(os.urandom(3000))
    (archive / "audit-2024-01.jsonl.gz.sha256").write_text("abc  audit-2024-01.jsonl.gz\n")
    return root


@sqlite_only
def test_round_trip_restores_every_record_and_file(network, media, tmp_path, publish_item, image_factory):
    publish_item(network.portals["a"], title="Tin sao lưu")
    image_factory(network.portals["b"])
    result = backups.backup_create(tmp_path / "backups")
    assert result.path.name.startswith("cong-") and result.size > 0
    manifest = backups.backup_verify(result.path)
    assert manifest["engine"] == "sqlite"
    assert any(name.startswith("media/original_images/") for name in manifest["files"])

    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "moi.sqlite3")}
    assert "audit-archive/audit-2024-01.jsonl.gz" in manifest["files"]
    new_media = tmp_path / "media-moi"
    new_archive = tmp_path / "kho-moi"
    backups.backup_restore(result.path, database=target, media_root=new_media,
                           audit_archive_root=new_archive)

    restored = sqlite3.connect(target["NAME"])
    assert restored.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert sqlite_tables(restored) == sqlite_tables(connection.connection)
    assert tree(new_media) == tree(media)
    assert tree(new_archive) == tree(tmp_path / "audit-archive")
    restored.close()

    # into an installation that holds data: refused unless forced
    with pytest.raises(BackupError):
        backups.backup_restore(result.path, database=target, media_root=new_media)
    (new_media / "thua.txt").write_bytes(b"extra")
    backups.backup_restore(result.path, database=target, media_root=new_media, force=True)
    assert tree(new_media) == tree(media)


def test_a_damaged_or_unsafe_archive_is_refused(network, media, tmp_path):
    result = backups.backup_create(tmp_path / "b", compress=False)
    data = bytearray(result.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    result.path.write_bytes(bytes(data))
    with pytest.raises(BackupError):
        backups.backup_verify(result.path)

    # a member that climbs out of the media folder, listed in its manifest
    evil = tmp_path / "evil.tar"
    payload = b"owned"
    manifest = {"format": 1, "engine": "sqlite", "database_file": "db.sqlite3", "created": "x",
                "files": {"media/../../thoat.txt": {"sha256": hashlib.sha256(payload).hexdigest(),
                                                    "size": len(payload)}}}
    with tarfile.open(evil, "w") as tar:
        for name, raw in (("media/../../thoat.txt", payload), ("manifest.json", json.dumps(manifest).encode())):
            info = tarfile.TarInfo(name)
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
    with pytest.raises(BackupError):
        backups.backup_restore(evil, database={"ENGINE": "django.db.backends.sqlite3",
                                               "NAME": str(tmp_path / "x.sqlite3")},
                               media_root=tmp_path / "m")
    assert not (tmp_path / "thoat.txt").exists()


def _writer(path: str, stop: threading.Event, counter: list):
    conn = sqlite3.connect(path, timeout=30)
    conn.execute("PRAGMA busy_timeout=30000")
    while not stop.is_set():
        conn.execute(
            "INSERT INTO security_auditevent (at, action, actor_name, user_agent, object_type, object_id,"
            " object_repr, message, changes) VALUES (datetime('now'), 'export', 'tai', '', 'load', ?, '',"
            " 'write load', '{}')", [str(counter[0])])
        conn.commit()
        counter[0] += 1
        time.sleep(0.002)
    conn.close()


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )


@sqlite_only
def test_commands_under_write_load_restore_an_identical_installation(network, media, tmp_path):
    site = tmp_path / "site.sqlite3"
    backups.sqlite_copy(connection.connection, site)
    # A live installation's database is in WAL mode (every connection of the
    # site sets it); switching a rollback-journal file to WAL needs an
    # exclusive lock that a busy writer never leaves free.
    with sqlite3.connect(site) as live:
        assert live.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "DATABASE_URL": f"sqlite:///{site}", "MEDIA_ROOT": str(media)}
    stop, counter = threading.Event(), [0]
    writer = threading.Thread(target=_writer, args=(str(site), stop, counter))
    writer.start()
    try:
        time.sleep(0.3)
        made = _manage("backup", "--dest", str(tmp_path / "b"), env=env)
        time.sleep(0.3)
    finally:
        stop.set()
        writer.join()
    assert made.returncode == 0, made.stderr
    archive = Path(made.stdout.split()[0])
    assert counter[0] > 0

    new_env = {**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'moi.sqlite3'}",
               "MEDIA_ROOT": str(tmp_path / "media-moi")}
    restored = _manage("restore", str(archive), env=new_env)
    assert restored.returncode == 0, restored.stderr

    source = sqlite3.connect(site)
    copy = sqlite3.connect(tmp_path / "moi.sqlite3")
    a, b = sqlite_tables(source), sqlite_tables(copy)
    audit_a, audit_b = a.pop("security_auditevent"), b.pop("security_auditevent")
    assert a == b
    # the copy is one consistent moment: a prefix of the live log (which went
    # on growing), plus the restore's own entry
    assert audit_b[-1][9] == "restore"
    assert audit_b[:-1] == audit_a[: len(audit_b) - 1]
    assert 0 < sum(1 for r in audit_b if r[9] == "write load") < counter[0]
    assert tree(tmp_path / "media-moi") == tree(media)

    again = _manage("restore", str(archive), env=new_env)
    assert again.returncode != 0 and "đã có dữ liệu" in again.stderr


def test_retention_keeps_recent_days_and_months(tmp_path, settings):
    dest = tmp_path / "b"
    dest.mkdir()
    stamps = ["20260101T010000000000Z", "20260115T010000000000Z", "20260201T010000000000Z",
              "20260301T010000000000Z", "20260301T130000000000Z", "20260302T010000000000Z",
              "20260303T010000000000Z"]
    for s in stamps:
        (dest / f"cong-{s}.tar.gz").write_bytes(b"x")
        (dest / f"cong-{s}.tar.gz.sha256").write_text("x")
    removed = backups.backup_prune(dest, daily=2, monthly=3)
    kept = sorted(p.name for p in backups.backups_list(dest))
    assert kept == ["cong-20260115T010000000000Z.tar.gz", "cong-20260201T010000000000Z.tar.gz",
                    "cong-20260302T010000000000Z.tar.gz", "cong-20260303T010000000000Z.tar.gz"]
    assert len(removed) == 3
    assert not (dest / "cong-20260101T010000000000Z.tar.gz.sha256").exists()


def test_the_scheduled_backup_is_a_periodic_job(network, media, tmp_path, settings):
    from cong.core.scheduler import periodic_jobs, run_due

    settings.CONG_BACKUP_DIR = str(tmp_path / "lich")
    settings.CONG_BACKUP_SCHEDULE = True
    assert "security.backup" in {j.name for j in periodic_jobs()}
    run_due({}, time.time(), force=True)
    made = backups.backups_list(tmp_path / "lich")
    assert len(made) == 1
    backups.backup_verify(made[0])


def _pg(dbname, db):
    import psycopg

    return psycopg.connect(dbname=dbname, autocommit=True, **backups._pg_kwargs(db))


def _pg_digest(conn) -> dict[str, str]:
    tables = [r[0] for r in conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1")]
    return {t: conn.execute(
        f'SELECT count(*), md5(coalesce(string_agg(x::text, \'|\' ORDER BY x::text), \'\')) FROM "{t}" x'  # noqa: S608
    ).fetchone() for t in tables}


@postgres_only
def test_postgres_round_trip_under_write_load(network, media, tmp_path):
    db = connection.settings_dict
    name = f"{db['NAME']}_restore"
    admin = _pg("postgres", db)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    live = _pg(db["NAME"], db)
    live.execute("CREATE TABLE security_backup_load (id serial PRIMARY KEY, note text)")
    stop = threading.Event()

    def write():
        conn = _pg(db["NAME"], db)
        while not stop.is_set():
            conn.execute("INSERT INTO security_backup_load (note) VALUES ('ghi')")
        conn.close()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        time.sleep(0.3)
        result = backups.backup_create(tmp_path / "b")
        time.sleep(0.3)
    finally:
        stop.set()
        writer.join()
    try:
        target = {**db, "NAME": name}
        backups.backup_restore(result.path, database=target, media_root=tmp_path / "media-moi")
        copy = _pg(name, db)
        a, b = _pg_digest(live), _pg_digest(copy)
        load_a, load_b = a.pop("security_backup_load"), b.pop("security_backup_load")
        assert a == b
        n = load_b[0]
        assert 0 < n < load_a[0]
        # one consistent snapshot: exactly the first n rows, no gaps
        assert copy.execute("SELECT min(id), max(id) FROM security_backup_load").fetchone() == (1, n)
        assert tree(tmp_path / "media-moi") == tree(media)
        # the append-only trigger and the partitions came back too
        with pytest.raises(Exception, match="append-only"):
            copy.execute("DELETE FROM security_auditevent")
        with pytest.raises(BackupError):
            backups.backup_restore(result.path, database=target, media_root=tmp_path / "media-moi")
        copy.close()
    finally:
        live.execute("DROP TABLE security_backup_load")
        live.close()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
