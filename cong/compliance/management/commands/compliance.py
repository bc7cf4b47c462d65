"""python manage.py compliance check [--unit CODE | --url URL] [--format text|json]

Exits non-zero when a rule of severity error fails (or, for --url, when the
address could not be checked completely)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from cong.units.models import Portal

from ... import rules as rules_mod
from ... import services
from ...models import Status


class Command(BaseCommand):
    help = "Kiểm tra tuân thủ các cổng theo Nghị định 42/2022, Thông tư 22/2023 và nhãn Tín nhiệm mạng."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check"])
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--unit", help="mã đơn vị (mặc định: mọi cổng đang hoạt động)")
        target.add_argument("--url", help="địa chỉ một cổng bất kỳ (chỉ quy tắc giao diện, kỹ thuật)")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--scope", choices=[rules_mod.CONTENT, rules_mod.LAYOUT])
        parser.add_argument("--budget", type=int, default=20, help="số trang tối đa được tải (--url)")

    def handle(self, *args, **opts):
        if opts["url"]:
            runs = [services.url_check(opts["url"], budget=opts["budget"])]
        else:
            portals = Portal.objects.filter(unit__active=True).select_related("unit", "site")
            if opts["unit"]:
                portals = portals.filter(unit__code=opts["unit"])
                if not portals.exists():
                    raise CommandError(f"Không có cổng của đơn vị «{opts['unit']}».")
            runs = services.network_check(portals=portals, scope=opts["scope"])
        if opts["format"] == "json":
            self.stdout.write(json.dumps([self._json(r) for r in runs], ensure_ascii=False, indent=2))
        else:
            for run in runs:
                self._text(run)
        failing = [r for r in runs if r.failed_errors]
        incomplete = [r for r in runs if not r.complete]
        if failing:
            raise CommandError(f"{len(failing)} cổng không đạt quy tắc bắt buộc.")
        if opts["url"] and incomplete:
            raise CommandError("Kết quả chưa đầy đủ: có quy tắc không kiểm tra được.")

    def _json(self, run):
        outside = rules_mod.outside_facts()
        return {
            "portal": run.portal.unit.code if run.portal else None,
            "url": run.url or (run.portal.site.root_url if run.portal else ""),
            "score": run.score, "complete": run.complete, "passed": run.passed,
            "failed": run.failed, "errors": run.errors, "notes": run.notes,
            "results": [
                {"rule": r.rule_id, "title": r.title, "basis": r.basis, "severity": r.severity,
                 "status": r.status, "message": r.message, "remedy": r.remedy,
                 "outside": outside.get(r.rule_id, "")}
                for r in run.results.all()
            ],
        }

    def _text(self, run):
        name = run.portal.unit.name if run.portal else run.url
        flag = "" if run.complete else " (chưa đầy đủ)"
        self.stdout.write(f"{name}: {run.score}/100, đạt {run.passed}, không đạt {run.failed}{flag}")
        outside = rules_mod.outside_facts()
        for r in run.results.exclude(status__in=[Status.PASS, Status.NA, Status.OFF]):
            fact = f" [phụ thuộc yếu tố bên ngoài: {outside[r.rule_id]}]" if r.rule_id in outside else ""
            self.stdout.write(f"  [{r.status}/{r.severity}] {r.rule_id} {r.title}: {r.message} ({r.basis}){fact}")
