"""Profile one page in-process: ``python bench/profile_page.py HOST PATH [-p]``.

Prints the mean render time, the SQL queries of one request and, with -p,
a cProfile listing. A developer tool; not part of ``make bench``.
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


def main():
    host = sys.argv[1]
    path = sys.argv[2] if len(sys.argv) > 2 else "/"
    client = Client(HTTP_HOST=host)
    for _ in range(5):
        client.get(path)
    started = time.perf_counter()
    for _ in range(50):
        response = client.get(path)
    print(response.status_code, "mean ms", round((time.perf_counter() - started) * 1000 / 50, 2))
    settings.DEBUG = True
    reset_queries()
    client.get(path)
    print("queries", len(connection.queries))
    for q in connection.queries:
        print("  ", q["sql"][:140])
    settings.DEBUG = False
    if "-p" in sys.argv:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(20):
            client.get(path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(50)


if __name__ == "__main__":
    main()
