"""Backups of the database and the media files, and their restore.

An archive ``cong-<UTC time>.tar.gz`` holds:

- ``db.sqlite3`` (SQLite's online backup API: a consistent copy while the
  site keeps writing) or ``db.pgdump`` (``pg_dump -Fc``, one snapshot);
- ``media/…``, every file under ``MEDIA_ROOT``;
- ``audit-archive/…``, the archived months of the audit log
  (``CONG_AUDIT_ARCHIVE_DIR``), which left the database;
- ``manifest.json``: the SHA-256 and size of every other member, the engine,
  the migrations applied, and the row count of every table.

A sidecar ``.sha256`` file holds the checksum of the archive itself.
``backup_verify`` checks both; ``backup_restore`` refuses an archive that does
not verify, and refuses to overwrite an installation that holds data unless
forced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from cong.core.errors import ApplicationError

logger = logging.getLogger("cong.security.backups")

MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(ApplicationError):
    """An archive that cannot be written, read or trusted."""


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
    return h.hexdigest()


def _engine(db: dict) -> str:
    engine = db["ENGINE"]
    if "sqlite" in engine:
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(_("Cơ sở dữ liệu %(engine)s chưa được hỗ trợ sao lưu.") % {"engine": engine})


def _pg_env(db: dict) -> dict:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def sqlite_copy(source: sqlite3.Connection, target_path: Path) -> None:
    """Copy a live SQLite database with the online backup API, in one step
    (so the copy is one consistent state even while others write)."""
    target = sqlite3.connect(target_path)
    try:
        if source.in_transaction:
            # The backup API waits forever on a connection that holds an open
            # write transaction (the test suite's); copy through SQL instead,
            # which reads what this connection sees.
            _sqlite_copy_sql(source, target)
        else:
            source.backup(target, pages=-1)
    finally:
        target.close()


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sqlite_copy_sql(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """Schema and rows through SQL: virtual tables first (they make their
    shadow tables), then tables, rows, and last indexes and triggers."""
    schema = source.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "ORDER BY CASE WHEN sql LIKE 'CREATE VIRTUAL TABLE%' THEN 0 WHEN type = 'table' THEN 1 ELSE 2 END, rowid"
    ).fetchall()
    virtual = {name for kind, name, sql in schema if sql.upper().startswith("CREATE VIRTUAL TABLE")}
    target.execute("BEGIN")
    for kind, name, sql in schema:
        exists = target.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [name]).fetchone()
        if kind == "table" and not exists:
            target.execute(sql)
    tables = [n for k, n, _ in schema if k == "table" and n not in virtual]
    if source.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
        tables.append("sqlite_sequence")
        target.execute("CREATE TABLE IF NOT EXISTS _cong_seq(x INTEGER PRIMARY KEY AUTOINCREMENT)")
        target.execute("DROP TABLE _cong_seq")
        target.execute("DELETE FROM sqlite_sequence")
    for name in tables:
        cursor = source.execute(f"SELECT * FROM {_q(name)}")  # noqa: S608 - names from sqlite_master
        width = len(cursor.description)
        insert = f"INSERT OR REPLACE INTO {_q(name)} VALUES ({', '.join('?' * width)})"  # noqa: S608
        while rows := cursor.fetchmany(5000):
            target.executemany(insert, rows)
    for kind, _name, sql in schema:
        if kind in ("index", "trigger", "view"):
            target.execute(sql)
    target.execute("COMMIT")


def _dump_database(db: dict, alias: str | None, out_dir: Path) -> Path:
    engine = _engine(db)
    if engine == "sqlite":
        target = out_dir / "db.sqlite3"
        if alias is not None:
            conn = connections[alias]
            conn.ensure_connection()
            sqlite_copy(conn.connection, target)
        else:
            source = sqlite3.connect(db["NAME"])
            try:
                sqlite_copy(source, target)
            finally:
                source.close()
        return target
    target = out_dir / "db.pgdump"
    subprocess.run(  # noqa: S603 - fixed program, arguments from settings
        [  # noqa: S607 - pg_dump found on PATH, like psql
            "pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--compress=6",
            f"--file={target}", str(db["NAME"]),
        ],
        env=_pg_env(db), check=True, capture_output=True,
    )
    return target


def _table_counts_sqlite(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        # table names come from sqlite_master, quoted
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
    finally:
        conn.close()


def _media_files(root: Path):
    if not root.exists():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            yield path, path.relative_to(root).as_posix()


def _trees(media_root=None, audit_archive_root=None) -> dict[str, Path]:
    """The folders a backup carries, by their prefix inside the archive."""
    return {
        "media": Path(media_root or settings.MEDIA_ROOT),
        "audit-archive": Path(audit_archive_root or settings.CONG_AUDIT_ARCHIVE_DIR),
    }


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str) -> dict:
    """Add one file and return its manifest entry (the bytes hashed are the
    bytes stored, even when the file changes while it is read)."""
    digest = hashlib.sha256()
    data_size = 0
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
            data_size += len(block)
    info = tar.gettarinfo(str(path), arcname=arcname)
    if info.size != data_size:
        with open(path, "rb") as f:
            data = f.read()
        digest = hashlib.sha256(data)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    else:
        with open(path, "rb") as f:
            tar.addfile(info, f)
    return {"sha256": digest.hexdigest(), "size": info.size}


def _applied_migrations(alias: str | None, db: dict) -> int:
    if alias is None:
        return 0
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        return cursor.fetchone()[0]


@dataclass
class BackupResult:
    path: Path
    size: int
    files: int
    sha256: str


def backup_create(dest_dir: str | os.PathLike | None = None, *, alias: str = "default",
                  database: dict | None = None, media_root: str | os.PathLike | None = None,
                  audit_archive_root: str | os.PathLike | None = None,
                  compress: bool = True) -> BackupResult:
    """Write a verified archive of the database, the media and the audit
    log's archived months into ``dest_dir``."""
    db = database or connections[alias].settings_dict
    use_alias = None if database is not None else alias
    dest = Path(dest_dir or settings.CONG_BACKUP_DIR)
    dest.mkdir(parents=True, exist_ok=True)
    trees = _trees(media_root, audit_archive_root)
    now = timezone.now()
    name = f"cong-{now.astimezone(dt.UTC):%Y%m%dT%H%M%S%fZ}.tar" + (".gz" if compress else "")
    final = dest / name
    partial = dest / (name + ".partial")
    files: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(dir=dest, prefix=".backup-") as tmp:
        dump = _dump_database(db, use_alias, Path(tmp))
        counts = _table_counts_sqlite(dump) if dump.suffix == ".sqlite3" else {}
        options = {"mode": "w:gz", "compresslevel": 6} if compress else {"mode": "w"}
        with tarfile.open(partial, **options) as tar:
            files[dump.name] = {"sha256": _sha256_file(dump), "size": dump.stat().st_size}
            tar.add(dump, arcname=dump.name)
            for prefix, root in trees.items():
                for path, rel in _media_files(root):
                    arcname = f"{prefix}/{rel}"
                    files[arcname] = _add_file(tar, path, arcname)
            manifest = {
                "format": FORMAT, "created": now.isoformat(), "engine": _engine(db),
                "database_file": dump.name, "migrations": _applied_migrations(use_alias, db),
                "table_counts": counts, "files": files,
            }
            raw = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(raw)
            info.mtime = int(now.timestamp())
            tar.addfile(info, io.BytesIO(raw))
    digest = _sha256_file(partial)
    os.replace(partial, final)
    (dest / (name + ".sha256")).write_text(f"{digest}  {name}\n")
    return BackupResult(path=final, size=final.stat().st_size, files=len(files), sha256=digest)


def _safe_member(name: str) -> bool:
    p = PurePosixPath(name)
    return not (p.is_absolute() or ".." in p.parts or name.startswith("/") or "\\" in name)


def backup_verify(path: str | os.PathLike) -> dict:
    """Check the archive's checksum and every member against the manifest;
    return the manifest."""
    path = Path(path)
    sidecar = path.with_name(path.name + ".sha256")
    if sidecar.exists():
        expected = sidecar.read_text().split()[0]
        if _sha256_file(path) != expected:
            raise BackupError(_("Tệp sao lưu bị thay đổi hoặc hỏng (sai tổng kiểm tra)."))
    try:
        with tarfile.open(path, "r:*") as tar:
            try:
                manifest = json.load(tar.extractfile(MANIFEST))
            except KeyError as exc:
                raise BackupError(_("Tệp sao lưu không có bản kê (manifest).")) from exc
            seen = set()
            for member in tar:
                if member.name == MANIFEST:
                    continue
                if not member.isfile() or not _safe_member(member.name):
                    raise BackupError(_("Tệp sao lưu chứa thành phần không hợp lệ: %(name)s.")
                                      % {"name": member.name})
                meta = manifest["files"].get(member.name)
                if meta is None:
                    raise BackupError(_("Tệp sao lưu chứa tệp ngoài bản kê: %(name)s.") % {"name": member.name})
                h = hashlib.sha256()
                f = tar.extractfile(member)
                while block := f.read(CHUNK):
                    h.update(block)
                if h.hexdigest() != meta["sha256"]:
                    raise BackupError(_("Tệp %(name)s trong bản sao lưu bị hỏng.") % {"name": member.name})
                seen.add(member.name)
            missing = set(manifest["files"]) - seen
            if missing:
                raise BackupError(_("Bản sao lưu thiếu %(n)s tệp.") % {"n": len(missing)})
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(_("Không đọc được tệp sao lưu.")) from exc
    return manifest


def installation_has_data(db: dict, media_root: Path) -> bool:
    """True when the database holds any user or page beyond Wagtail's root, or
    the media folder holds files."""
    if any(True for _ in _media_files(media_root)):
        return True
    queries = ["SELECT COUNT(*) FROM accounts_user", "SELECT COUNT(*) - 1 FROM wagtailcore_page"]
    if _engine(db) == "sqlite":
        if not Path(db["NAME"]).exists():
            return False
        conn = sqlite3.connect(db["NAME"])
        try:
            for q in queries:
                try:
                    if conn.execute(q).fetchone()[0] > 0:
                        return True
                except sqlite3.OperationalError:
                    return False
        finally:
            conn.close()
        return False
    import psycopg

    try:
        with psycopg.connect(dbname=db["NAME"], **_pg_kwargs(db)) as conn:
            for q in queries:
                try:
                    if conn.execute(q).fetchone()[0] > 0:
                        return True
                except psycopg.errors.UndefinedTable:
                    return False
    except psycopg.OperationalError:
        return False
    return False


def _pg_kwargs(db: dict) -> dict:
    out = {}
    for key, arg in (("HOST", "host"), ("PORT", "port"), ("USER", "user"), ("PASSWORD", "password")):
        if db.get(key):
            out[arg] = str(db[key])
    return out


def backup_restore(path: str | os.PathLike, *, force: bool = False, alias: str = "default",
                   database: dict | None = None, media_root: str | os.PathLike | None = None,
                   audit_archive_root: str | os.PathLike | None = None) -> dict:
    """Bring an archive back: the database, then the media tree and the audit
    log's archived months, identical."""
    manifest = backup_verify(path)
    db = database or connections[alias].settings_dict
    trees = _trees(media_root, audit_archive_root)
    media = trees["media"]
    if manifest["engine"] != _engine(db):
        raise BackupError(_("Bản sao lưu của %(a)s không phục hồi được vào %(b)s.")
                          % {"a": manifest["engine"], "b": _engine(db)})
    if not force and installation_has_data(db, media):
        raise BackupError(_("Bản cài đặt đã có dữ liệu; phục hồi bị từ chối (dùng --force để ghi đè)."))
    if database is None:
        connections[alias].close()
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=media.parent if media.parent.exists() else None) as tmp:
        tmp = Path(tmp)
        with tarfile.open(path, "r:*") as tar:
            dbname = manifest["database_file"]
            tar.extract(tar.getmember(dbname), tmp, filter="data")
            dump = tmp / dbname
            if manifest["engine"] == "sqlite":
                target = Path(db["NAME"])
                target.parent.mkdir(parents=True, exist_ok=True)
                source = sqlite3.connect(dump)
                try:
                    sqlite_copy(source, target)
                finally:
                    source.close()
            else:
                result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                    [  # noqa: S607 - pg_restore found on PATH, like psql
                        "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                        "--single-transaction", "--exit-on-error", f"--dbname={db['NAME']}", str(dump),
                    ],
                    env=_pg_env(db), capture_output=True, text=True,
                )
                if result.returncode != 0:
                    raise BackupError(_("Phục hồi cơ sở dữ liệu thất bại: %(err)s")
                                      % {"err": result.stderr.strip()[-500:]})
            staging = {prefix: tmp / "trees" / prefix for prefix in trees}
            for folder in staging.values():
                folder.mkdir(parents=True)
            for member in tar:
                prefix, _sep, rel = member.name.partition("/")
                if prefix not in staging:
                    continue
                if not _safe_member(rel) or not member.isfile():
                    raise BackupError(_("Tệp sao lưu chứa đường dẫn không hợp lệ."))
                out = staging[prefix] / rel
                out.parent.mkdir(parents=True, exist_ok=True)
                with tar.extractfile(member) as src, open(out, "wb") as dst:
                    shutil.copyfileobj(src, dst, CHUNK)
                os.utime(out, (member.mtime, member.mtime))
        for prefix, root in trees.items():
            _replace_tree(root, staging[prefix])
    return manifest



def _replace_tree(root: Path, staged: Path) -> None:
    """Make ``root`` hold exactly what was staged."""
    root.mkdir(parents=True, exist_ok=True)
    for child in list(root.iterdir()):
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    for child in staged.iterdir():
        shutil.move(str(child), root / child.name)

def backups_list(dest_dir: str | os.PathLike | None = None) -> list[Path]:
    dest = Path(dest_dir or settings.CONG_BACKUP_DIR)
    if not dest.exists():
        return []
    return sorted(p for p in dest.iterdir() if p.name.startswith("cong-") and p.name.endswith((".tar", ".tar.gz")))


def _stamp(path: Path) -> dt.datetime:
    raw = path.name.removeprefix("cong-").split(".")[0]
    return dt.datetime.strptime(raw, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)


def backup_prune(dest_dir: str | os.PathLike | None = None, *, daily: int | None = None,
                 monthly: int | None = None) -> list[Path]:
    """Retention: keep the newest archive of each of the last ``daily`` days
    and of each of the last ``monthly`` months; delete the rest."""
    daily = settings.CONG_BACKUP_KEEP_DAILY if daily is None else daily
    monthly = settings.CONG_BACKUP_KEEP_MONTHLY if monthly is None else monthly
    archives = sorted(backups_list(dest_dir), key=_stamp, reverse=True)
    keep: set[Path] = set()
    days: dict[dt.date, Path] = {}
    months: dict[tuple[int, int], Path] = {}
    for p in archives:
        s = _stamp(p)
        days.setdefault(s.date(), p)
        months.setdefault((s.year, s.month), p)
    keep.update(list(days.values())[:daily])
    keep.update(list(months.values())[:monthly])
    if archives:
        keep.add(archives[0])
    removed = []
    for p in archives:
        if p not in keep:
            p.unlink()
            p.with_name(p.name + ".sha256").unlink(missing_ok=True)
            removed.append(p)
    return removed


@task()
def backup_task() -> str:
    from .audit import record
    from .choices import AuditAction

    result = backup_create()
    backup_verify(result.path)
    removed = backup_prune()
    record(AuditAction.BACKUP, object_type="backup", object_repr=result.path.name,
           message="scheduled backup", changes={"size": result.size, "files": result.files,
                                                "sha256": result.sha256, "pruned": [p.name for p in removed]})
    return str(result.path)


def scheduled_backup() -> None:
    if settings.CONG_BACKUP_SCHEDULE:
        backup_task.enqueue()
