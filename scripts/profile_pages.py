"""CPU time per request of the bench pages, in-process (Flask test client on PostgreSQL).

Usage (after `scripts/bench_http.py` built its databases, or with --build):

    .venv/bin/python scripts/profile_pages.py [--db-prefix bakery_bench] [--requests 40]
        [--build] [--profile catalog]

CPU time (time.process_time) barely moves with what else runs on a shared machine, unlike
throughput, so this is the number to watch while optimising. --profile NAME prints the cProfile
of that page's requests (cumulative, top 40).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts import bench_http  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-prefix", default="bakery_bench")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--profile", default="")
    parser.add_argument("--only", default="")
    parser.add_argument("--freeze", action="store_true", help="gc.freeze() after warming up")
    args = parser.parse_args()
    app_db = f"{args.db_prefix}_app"
    if args.build:
        bench_http.ensure_roles()
        bench_http.build_app_database(app_db)
    app = bench_http.in_process_app(app_db)
    app.config["WTF_CSRF_ENABLED"] = False
    clients = {"buyer": app.test_client(), "staff": app.test_client()}
    slug, password = bench_http.SLUG, bench_http.PASSWORD
    clients["buyer"].post(
        f"/wholesale/{slug}/login", data={"email": bench_http.BUYER, "password": password}
    )
    clients["staff"].post(
        f"/admin/{slug}/login", data={"email": bench_http.STAFF, "password": password}
    )
    for name, path, who, *_ in bench_http.PAGES:
        if who is None or (args.only and args.only != name):
            continue
        client = clients[who]
        for _ in range(3):  # warm caches
            assert client.get(path).status_code == 200, name
        if args.freeze:
            import gc

            gc.collect()
            gc.freeze()
        profiler = cProfile.Profile(time.process_time) if args.profile == name else None
        times = []
        for _ in range(args.requests):
            start = time.process_time()
            if profiler:
                profiler.enable()
            client.get(path)
            if profiler:
                profiler.disable()
            times.append(time.process_time() - start)
        print(
            f"{name:<16} CPU ms/request: median {statistics.median(times) * 1000:6.1f}"
            f"  mean {statistics.mean(times) * 1000:6.1f}",
            flush=True,
        )
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
