import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from cong.core.scheduler import periodic_jobs, run_due


class Command(BaseCommand):
    help = "Run the periodic jobs (scheduled publishing every minute, rollups, reminders)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args, once, **options):
        if once:
            ran = run_due({}, time.time(), force=True)
            self.stdout.write("ran: " + ", ".join(ran))
            return
        stop = []
        signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
        signal.signal(signal.SIGINT, lambda *a: stop.append(1))
        names = ", ".join(f"{j.name} (every {j.every_seconds}s)" for j in periodic_jobs())
        self.stdout.write(f"scheduler: {names}")
        last: dict[str, float] = {}
        while not stop:
            close_old_connections()
            run_due(last, time.time())
            for _ in range(5):
                if stop:
                    break
                time.sleep(1)
