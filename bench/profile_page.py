"""Profile pages in-process: ``python bench/profile_page.py HOST PATH… [-p] [-n N]``.

For each path prints the mean time of a request through the whole
middleware stack (after a warm-up) and the CPU time this process spent on
it (steadier than the wall clock on a loaded machine; a PostgreSQL server's
own time is not in it), the number of SQL queries of one
request and their text; with -p a profile of 20 requests: pyinstrument's
call tree when pyinstrument is installed, cProfile's listing otherwise.
The database is the one of ``DATABASE_URL`` (e.g. a benchmark's under
var/bench/). A developer tool; not part of ``make bench``.
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402


def _profile(client, path):
    try:
        from pyinstrument import Profiler
    except ImportError:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(20):
            client.get(path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(50)
        return
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(20):
        client.get(path)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False))


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("-")]
    n = 50
    if "-n" in sys.argv:
        n = int(sys.argv[sys.argv.index("-n") + 1])
        args.remove(str(n))
    host, paths = args[0], args[1:] or ["/"]
    client = Client(HTTP_HOST=host)
    for path in paths:
        for _ in range(5):
            client.get(path)
        started, cpu = time.perf_counter(), time.process_time()
        for _ in range(n):
            response = client.get(path)
        mean = (time.perf_counter() - started) * 1000 / n
        mean_cpu = (time.process_time() - cpu) * 1000 / n
        settings.DEBUG = True
        reset_queries()
        client.get(path)
        queries = list(connection.queries)
        settings.DEBUG = False
        print(f"{path}  HTTP {response.status_code}  mean {mean:.2f} ms (this process's CPU: {mean_cpu:.2f} ms)  queries {len(queries)}")
        for q in queries:
            print("   ", q["time"], q["sql"][:160])
        if "-p" in sys.argv:
            _profile(client, path)


if __name__ == "__main__":
    main()
