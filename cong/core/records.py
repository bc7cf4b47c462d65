"""The records exchange format: registry of kinds and the importer.

See ``docs/import-format.md`` (a copy of the shared contract). Each app
declares the kinds it owns in its own ``records.py`` by subclassing
``RecordKind`` and decorating the class with ``@register``; core discovers
those modules at start-up. The importer validates every line, resolves
references inside the file and in the database, orders the work so that a
record is written after what it refers to, and writes everything in one
transaction (all-or-nothing unless ``skip_invalid``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, models, transaction

from cong.core.errors import ApplicationError

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OUTCOMES = ("created", "updated", "unchanged", "invalid")


class RecordError(Exception):
    """A record is invalid; ``field`` names the culprit (``-`` for the line)."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = str(reason)


# --- Field specifications ---------------------------------------------------


@dataclass(frozen=True)
class F:
    """One field of a record kind.

    ``type`` is one of: str, text, int, bool, date, datetime, enum, ref,
    list, email, url, hostname. ``ref`` names the kind a reference points to.
    """

    name: str
    type: str = "str"
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str | None = None
    default: Any = None
    max_length: int | None = None
    min_value: int | None = None
    nullable: bool = True


_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


def parse_datetime(value: Any) -> dt.datetime:
    """Parse ISO 8601; a value without an offset is in Asia/Ho_Chi_Minh."""
    if not isinstance(value, str):
        raise ValueError("phải là chuỗi ngày giờ ISO 8601")
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValueError(f"'{value}' không phải ngày giờ ISO 8601") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=LOCAL_TZ)
    return parsed


def parse_date(value: Any) -> dt.date:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        raise ValueError(f"'{value}' không phải ngày dạng YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ValueError(f"'{value}' không phải ngày hợp lệ") from exc


def _convert(spec: F, value: Any) -> Any:
    t = spec.type
    if t in ("str", "text", "html"):
        if not isinstance(value, str):
            raise ValueError("phải là chuỗi")
        value = value.strip() if t == "str" else value
        if spec.max_length and len(value) > spec.max_length:
            raise ValueError(f"dài quá {spec.max_length} ký tự")
        return value
    if t == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("phải là số nguyên")
        if spec.min_value is not None and value < spec.min_value:
            raise ValueError(f"phải lớn hơn hoặc bằng {spec.min_value}")
        return value
    if t == "bool":
        if not isinstance(value, bool):
            raise ValueError("phải là true hoặc false")
        return value
    if t == "date":
        return parse_date(value)
    if t == "datetime":
        return parse_datetime(value)
    if t == "enum":
        if value not in spec.choices:
            raise ValueError(f"'{value}' không thuộc {', '.join(spec.choices)}")
        return value
    if t == "ref":
        if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
            raise ValueError("phải là mã bản ghi (chuỗi)")
        return str(value)
    if t == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("phải là danh sách chuỗi")
        return [v.strip() for v in value if v.strip()]
    if t == "email":
        if not isinstance(value, str):
            raise ValueError("phải là chuỗi")
        try:
            EmailValidator()(value.strip())
        except ValidationError as exc:
            raise ValueError(f"'{value}' không phải địa chỉ e-mail") from exc
        return value.strip()
    if t == "url":
        if not isinstance(value, str):
            raise ValueError("phải là chuỗi")
        try:
            URLValidator(schemes=["http", "https"])(value.strip())
        except ValidationError as exc:
            raise ValueError(f"'{value}' không phải địa chỉ http(s)") from exc
        return value.strip()
    if t == "hostname":
        if not isinstance(value, str):
            raise ValueError("phải là chuỗi")
        host = value.strip().lower().rstrip(".")
        if not _HOSTNAME.match(host):
            raise ValueError(f"'{value}' không phải tên miền hợp lệ")
        return host
    raise AssertionError(f"unknown field type {t}")


# --- Kinds and the registry ------------------------------------------------


class RecordKind(ABC):
    """Base class of a record kind. Subclasses live in each app's records.py."""

    kind: ClassVar[str]
    model: ClassVar[type[models.Model]]
    fields: ClassVar[tuple[F, ...]]
    # Lower first: a kind is written after the kinds it refers to.
    order: ClassVar[int] = 50
    # Reference fields that point at the same kind (parent, successor); the
    # importer orders records of the kind along them and refuses cycles.
    self_refs: ClassVar[tuple[str, ...]] = ()

    def clean(self, data: dict[str, Any]) -> None:  # noqa: B027 - an optional hook
        """Check rules across fields without the database; raise RecordError."""

    def find_existing(self, source_id: str) -> models.Model | None:
        """Find an object not imported before that this record should adopt."""
        return None

    def begin(self, ctx: ImportContext) -> None:  # noqa: B027 - an optional hook
        """Called once before the first record of this kind is written."""

    def finish(self, ctx: ImportContext) -> None:  # noqa: B027 - an optional hook
        """Called once after the records of this kind, inside the transaction
        (bulk follow-up work: search indexing, for instance)."""

    @abstractmethod
    def write(
        self, data: dict[str, Any], ctx: ImportContext, instance: models.Model | None
    ) -> models.Model:
        """Create (``instance`` is None) or update the object; return it.

        ``data`` holds the converted fields and the record's ``id``.
        """


_registry: dict[str, RecordKind] = {}


def register(cls: type[RecordKind]) -> type[RecordKind]:
    """Class decorator: make a kind known to the importer."""
    names = {f.name for f in cls.fields}
    if names & {"id", "kind"}:
        raise TypeError(f"{cls.__name__}: 'id' and 'kind' are reserved field names")
    _registry[cls.kind] = cls()
    return cls


def get_kind(name: str) -> RecordKind | None:
    return _registry.get(name)


def registered_kinds() -> dict[str, RecordKind]:
    return dict(_registry)


# --- The importer -------------------------------------------------------------


@dataclass
class Parsed:
    line: int
    kind: str
    id: str
    data: dict[str, Any] = field(default_factory=dict)
    digest: str = ""
    error: RecordError | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.id)


@dataclass
class LineError:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.reason}"


@dataclass
class ImportResult:
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    errors: list[LineError] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary_lines(self) -> list[str]:
        rows = [f"{'kind':<16}{'created':>10}{'updated':>10}{'unchanged':>11}{'invalid':>9}"]
        for kind in sorted(self.counts):
            c = self.counts[kind]
            rows.append(
                f"{kind:<16}{c['created']:>10}{c['updated']:>10}{c['unchanged']:>11}{c['invalid']:>9}"
            )
        return rows


class ImportContext:
    """What a kind's ``write`` may ask of the import in progress."""

    def __init__(self, importer: Importer):
        self._importer = importer
        self.cache: dict[str, Any] = {}

    def resolve(self, kind: str, source_id: str, *, field: str) -> models.Model:
        """Return the object a reference points at, written or pre-existing."""
        return self._importer._resolve(kind, source_id, field)


class Importer:
    def __init__(
        self,
        *,
        dry_run: bool = False,
        skip_invalid: bool = False,
        progress: Callable[[str, int, int], None] | None = None,
    ):
        self.dry_run = dry_run
        self.skip_invalid = skip_invalid
        self.progress = progress
        self.result = ImportResult(dry_run=dry_run)
        self._records: dict[tuple[str, str], Parsed] = {}
        self._objects: dict[tuple[str, str], models.Model] = {}
        self._failed: dict[tuple[str, str], int] = {}
        self._identities: dict[tuple[str, str], Any] = {}
        self._invalid_lines: dict[int, str] = {}
        self.ctx = ImportContext(self)

    # -- phase 1: parse and validate each line -------------------------------

    def _parse_line(self, n: int, text: str) -> Parsed | None:
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            self._error(n, "-", f"không phải JSON hợp lệ ({exc.msg}, cột {exc.colno})")
            return None
        if not isinstance(raw, dict):
            self._error(n, "-", "mỗi dòng phải là một đối tượng JSON")
            return None
        kind_name = raw.get("kind")
        kind = get_kind(kind_name) if isinstance(kind_name, str) else None
        if kind is None:
            self._error(n, "kind", f"loại bản ghi không xác định: {kind_name!r}")
            return None
        rid = raw.get("id")
        if isinstance(rid, bool) or not isinstance(rid, str | int) or str(rid).strip() == "":
            self._error(n, "id", "bắt buộc (chuỗi không rỗng)", kind=kind_name)
            return None
        rec = Parsed(line=n, kind=kind_name, id=str(rid).strip())
        rec.data["id"] = rec.id
        errors: list[RecordError] = []
        specs = {f.name: f for f in kind.fields}
        for name in raw:
            if name not in specs and name not in ("kind", "id"):
                errors.append(RecordError(name, "trường không xác định"))
        for spec in kind.fields:
            value = raw.get(spec.name)
            if value is None:
                if spec.required:
                    errors.append(RecordError(spec.name, "bắt buộc"))
                rec.data[spec.name] = spec.default
                continue
            try:
                rec.data[spec.name] = _convert(spec, value)
            except ValueError as exc:
                errors.append(RecordError(spec.name, str(exc)))
        if not errors:
            try:
                kind.clean(rec.data)
            except RecordError as exc:
                errors.append(exc)
        canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str)
        rec.digest = hashlib.sha256(canonical.encode()).hexdigest()
        for err in errors:
            self._error(n, err.field, err.reason, kind=kind_name)
        if errors:
            rec.error = errors[0]
        return rec

    def _error(self, line: int, field: str, reason: str, *, kind: str | None = None) -> None:
        self.result.errors.append(LineError(line, field, reason))
        # A line counts once as invalid, however many reasons it has.
        self._invalid_lines.setdefault(line, kind or "(unknown)")

    def _invalidate(self, rec: Parsed, field: str, reason: str) -> None:
        if rec.error is None:
            rec.error = RecordError(field, reason)
            self._error(rec.line, field, reason, kind=rec.kind)

    # -- phase 2: references ----------------------------------------------------

    def _load_identities(self) -> None:
        from cong.core.models import ImportedRecord

        kinds = {k for k, _ in self._records} | {
            spec.ref
            for rec in self._records.values()
            for spec in get_kind(rec.kind).fields
            if spec.type == "ref"
        }
        for row in ImportedRecord.objects.filter(kind__in=kinds).only(
            "id", "kind", "source_id", "content_type_id", "object_id", "digest"
        ):
            self._identities[(row.kind, row.source_id)] = row

    def _exists_outside_file(self, kind: str, source_id: str) -> bool:
        if (kind, source_id) in self._identities or (kind, source_id) in self._objects:
            return True
        found = get_kind(kind).find_existing(source_id)
        if found is not None:
            self._objects[(kind, source_id)] = found
            return True
        return False

    def _check_references(self) -> None:
        changed = True
        while changed:
            changed = False
            for rec in self._records.values():
                if rec.error:
                    continue
                for spec in get_kind(rec.kind).fields:
                    if spec.type != "ref" or rec.data.get(spec.name) is None:
                        continue
                    target_key = (spec.ref, rec.data[spec.name])
                    if target_key == rec.key:
                        self._invalidate(rec, spec.name, "không thể trỏ tới chính nó")
                        changed = True
                        break
                    target = self._records.get(target_key)
                    if target is not None:
                        if target.error:
                            self._invalidate(
                                rec, spec.name,
                                f"trỏ tới bản ghi không hợp lệ ở dòng {target.line}",
                            )
                            changed = True
                            break
                    elif not self._exists_outside_file(*target_key):
                        self._invalidate(
                            rec, spec.name,
                            f"không tìm thấy {spec.ref} '{target_key[1]}' trong tệp hay cơ sở dữ liệu",
                        )
                        changed = True
                        break

    def _ordered(self) -> list[Parsed]:
        """Valid records, kinds by ``order``, each kind along its self-references."""
        by_kind: dict[str, list[Parsed]] = defaultdict(list)
        for rec in self._records.values():
            if not rec.error:
                by_kind[rec.kind].append(rec)
        out: list[Parsed] = []
        for kind_name in sorted(by_kind, key=lambda k: (get_kind(k).order, k)):
            kind = get_kind(kind_name)
            recs = by_kind[kind_name]
            if not kind.self_refs:
                out.extend(recs)
                continue
            out.extend(self._topological(kind, recs))
        return out

    def _topological(self, kind: RecordKind, recs: list[Parsed]) -> list[Parsed]:
        index = {r.id: r for r in recs}
        state: dict[str, int] = {}  # 1 visiting, 2 done
        order: list[Parsed] = []

        def deps(r: Parsed) -> list[tuple[str, str]]:
            return [
                (name, r.data[name])
                for name in kind.self_refs
                if r.data.get(name) is not None and r.data[name] in index
            ]

        for start in recs:
            if state.get(start.id):
                continue
            stack: list[tuple[Parsed, Iterable]] = [(start, iter(deps(start)))]
            state[start.id] = 1
            path = [start]
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    stack.pop()
                    path.pop()
                    state[node.id] = 2
                    order.append(node)
                    continue
                name, target_id = nxt
                target = index[target_id]
                st = state.get(target_id)
                if st == 1:
                    cycle = path[path.index(target):]
                    for member in cycle:
                        self._invalidate(member, name, "tạo thành vòng lặp giữa các bản ghi")
                elif not st:
                    state[target_id] = 1
                    stack.append((target, iter(deps(target))))
                    path.append(target)
        # Records made invalid by a cycle, and whatever points at them, drop out.
        self._check_references()
        return [r for r in order if not r.error]

    # -- phase 3: write -------------------------------------------------------

    def _resolve(self, kind: str, source_id: str, field: str) -> models.Model:
        key = (kind, source_id)
        if key in self._objects:
            return self._objects[key]
        if key in self._failed:
            raise RecordError(
                field, f"trỏ tới bản ghi ở dòng {self._failed[key]} không ghi được"
            )
        identity = self._identities.get(key)
        if identity is not None:
            model = ContentType.objects.get_for_id(identity.content_type_id).model_class()
            obj = model._default_manager.filter(pk=identity.object_id).first()
            if obj is not None:
                self._objects[key] = obj
                return obj
        found = get_kind(kind).find_existing(source_id)
        if found is None:
            raise RecordError(field, f"không tìm thấy {kind} '{source_id}'")
        self._objects[key] = found
        return found

    def _write_one(self, rec: Parsed) -> str:
        from cong.core.models import ImportedRecord

        kind = get_kind(rec.kind)
        identity = self._identities.get(rec.key)
        instance = None
        if identity is not None:
            instance = kind.model._default_manager.filter(pk=identity.object_id).first()
            if instance is not None and identity.digest == rec.digest:
                self._objects[rec.key] = instance
                return "unchanged"
        if instance is None:
            instance = kind.find_existing(rec.id)
        outcome = "created" if instance is None else "updated"
        obj = kind.write(rec.data, self.ctx, instance)
        self._objects[rec.key] = obj
        ct = ContentType.objects.get_for_model(kind.model)
        if identity is None:
            identity = ImportedRecord.objects.create(
                kind=rec.kind, source_id=rec.id, content_type=ct,
                object_id=str(obj.pk), digest=rec.digest,
            )
            self._identities[rec.key] = identity
        else:
            identity.object_id = str(obj.pk)
            identity.digest = rec.digest
            identity.content_type = ct
            identity.save(update_fields=["object_id", "digest", "content_type", "updated_at"])
        return outcome

    def run(self, lines: Iterable[str]) -> ImportResult:
        for n, text in enumerate(lines, 1):
            if not text.strip():
                continue
            rec = self._parse_line(n, text)
            if rec is None:
                continue
            if rec.key in self._records:
                first = self._records[rec.key]
                if not rec.error:
                    self._invalidate(rec, "id", f"trùng với dòng {first.line}")
                continue
            self._records[rec.key] = rec
        self._load_identities()
        self._check_references()
        ordered = self._ordered()
        # The write phase runs even when lines are already known to be bad, so
        # that problems only the database can see (a host name taken by a
        # unit outside the file, say) are listed too; it is then rolled back.
        total = len(ordered)
        begun: list[str] = []
        with transaction.atomic():
            for i, rec in enumerate(ordered, 1):
                if rec.kind not in begun:
                    if begun:
                        get_kind(begun[-1]).finish(self.ctx)
                    get_kind(rec.kind).begin(self.ctx)
                    begun.append(rec.kind)
                sid = transaction.savepoint()
                try:
                    outcome = self._write_one(rec)
                except RecordError as exc:
                    transaction.savepoint_rollback(sid)
                    self._fail(rec, exc.field, exc.reason)
                    continue
                except ApplicationError as exc:
                    transaction.savepoint_rollback(sid)
                    self._fail(rec, exc.field or "-", exc.message)
                    continue
                except ValidationError as exc:
                    transaction.savepoint_rollback(sid)
                    for name, messages in _validation_items(exc):
                        self._fail(rec, name, "; ".join(messages))
                    continue
                except IntegrityError as exc:
                    transaction.savepoint_rollback(sid)
                    self._fail(rec, "-", f"vi phạm ràng buộc dữ liệu: {exc}")
                    continue
                transaction.savepoint_commit(sid)
                self.result.counts[rec.kind][outcome] += 1
                if self.progress:
                    self.progress(rec.kind, i, total)
            if begun:
                get_kind(begun[-1]).finish(self.ctx)
            failed = bool(self.result.errors) and not self.skip_invalid
            if self.dry_run or failed:
                transaction.set_rollback(True)
            else:
                self.result.written = True
        if not self.result.written and not self.dry_run:
            # Nothing was written: what looked created or updated was not.
            for c in self.result.counts.values():
                c["created"] = c["updated"] = c["unchanged"] = 0
        for kind in self._invalid_lines.values():
            self.result.counts[kind]["invalid"] += 1
        self.result.errors.sort(key=lambda e: e.line)
        return self.result

    def _fail(self, rec: Parsed, field: str, reason: str) -> None:
        if rec.key not in self._failed:
            self._failed[rec.key] = rec.line
            self._error(rec.line, field, reason, kind=rec.kind)


def _validation_items(exc: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(exc, "error_dict"):
        return [
            (name if name != "__all__" else "-", [str(m) for e in errs for m in e.messages])
            for name, errs in exc.error_dict.items()
        ]
    return [("-", [str(m) for m in exc.messages])]
