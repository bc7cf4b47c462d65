import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cong.core.errors import ApplicationError
from cong.reporting.documents import docx_to_pdf, render_docx, render_json, report_context
from cong.reporting.figures import report_figures
from cong.reporting.models import ReportKind
from cong.reporting.periods import period_for
from cong.units.models import Unit

KINDS = {"quarterly": ReportKind.QUARTERLY, "six-month": ReportKind.SIX_MONTH,
         "nine-month": ReportKind.NINE_MONTH, "annual": ReportKind.ANNUAL}


class Command(BaseCommand):
    help = "Write a unit's periodic report (.docx, .pdf or .json by the output file's suffix)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("--unit", required=True, help="the unit's code")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int)
        parser.add_argument("--until", help="YYYY-MM-DD, inclusive (default: end of period or today)")
        parser.add_argument("--output", required=True)

    def handle(self, *args, kind, unit, year, quarter, until, output, **options):
        out = Path(output)
        suffix = out.suffix.lower()
        if suffix not in (".docx", ".pdf", ".json"):
            raise CommandError(f"Tệp đầu ra phải là .docx, .pdf hoặc .json (nhận được '{out.name}').")
        try:
            until_date = dt.date.fromisoformat(until) if until else None
        except ValueError as exc:
            raise CommandError(f"--until '{until}' không phải ngày dạng YYYY-MM-DD.") from exc
        target = Unit.objects.select_related("parent").filter(code=unit).first()
        if target is None:
            raise CommandError(f"Không có đơn vị mã '{unit}'.")
        try:
            period = period_for(kind=KINDS[kind], year=year, quarter=quarter, until=until_date,
                                today=timezone.localdate())
            figures = report_figures(unit=target, period=period)
            if suffix == ".json":
                data = render_json(figures)
            else:
                data = render_docx(report_context(figures), kind=KINDS[kind])
                if suffix == ".pdf":
                    data = docx_to_pdf(data)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        out.write_bytes(data)
        self.stdout.write(f"Đã ghi {out} ({len(data):,} byte).")
