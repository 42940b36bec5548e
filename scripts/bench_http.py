"""Benchmark the buyer's catalog and the staff lists over HTTP, against a bare Flask floor.

Usage (needs PostgreSQL on 127.0.0.1:5432 with a passwordless `postgres` superuser, as the
tests do, plus Debian's `wrk`, and the `serve` extra for gunicorn):

    .venv/bin/pip install -e ".[serve]"
    .venv/bin/python scripts/bench_http.py [--rounds 3] [--seconds 5] [--workers 4]

What it does, all on 127.0.0.1:
1. builds two databases (dropped and recreated each run; names from --db-prefix): the app's,
   migrated the README's production way (`flask db upgrade` as the owner role, the app serving as
   `bakery_app`, which owns nothing and cannot bypass row-level security) and loaded with the demo
   data plus: Rosemary & Rye at 200 active products, all on Café Aurora's negotiated list with two
   volume breaks each, and 50 more customers; Little Crumb at 2,000 products. The floor's database
   holds one 200,000-row table (1,000 tenants x 200 rows, indexed by tenant).
2. counts the SQL statements each page sends (in-process, test client, same database), and names
   any statement a request sends twice;
3. starts the app (`gunicorn wsgi:app`, APP_ENV=production) and the floor (`scripts/bench_floor.py`)
   side by side under gunicorn with the same number of sync workers;
4. checks each page once with a plain HTTP client: the catalog holds 200 products each with a
   price, the CSV 200 priced rows, the PDF 200 products (through `pdftotext`), the staff lists
   their rows;
5. runs `wrk` in alternating rounds (floor, then each page, per round) for --seconds each; a wrk
   Lua script counts every response that is not a 200 holding the expected rows, and any such
   response fails the run. The PDF runs at 2 connections (it is a download, not a page).
It prints, per page, the medians over the rounds of req/s, p50 and p99 latency, app CPU per
request (the gunicorn workers' user+system time over the requests served), the ratio to the
floor's req/s in the same round, and the SQL statements per request.
Results vary with what else runs on the machine; compare runs made side by side.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.databases import (  # noqa: E402
    APP_ROLE,
    OWNER_ROLE,
    admin_dsn,
    ensure_roles,
    recreate_database,
    url,
)

HOST = "127.0.0.1"
SLUG = "rosemary-rye"
PASSWORD = "demo-pass-2026"  # noqa: S105 - the demo data's documented password
BUYER = "owner@cafe-aurora.example"
STAFF = "owner@rosemary-rye.example"
CATALOG_SIZE = 200
EXTRA_CUSTOMERS = 50
OTHER_BAKERY_PRODUCTS = 2000
FLOOR_TENANTS, FLOOR_ROWS = 1000, 200

# name, path, who signs in, wrk marker, how many times it must appear, connections (None: all)
PAGES = [
    ("floor", "/", None, 'data-sku="', CATALOG_SIZE, None),
    ("catalog", f"/wholesale/{SLUG}/catalog", "buyer", 'data-sku="', CATALOG_SIZE, None),
    ("staff products", f"/admin/{SLUG}/catalog", "staff", 'name="product_ids"', 50, None),
    ("staff customers", f"/admin/{SLUG}/customers", "staff", "Bench customer", 50, None),
    ("catalog CSV", f"/wholesale/{SLUG}/catalog.csv", "buyer", "\n", CATALOG_SIZE + 1, None),
    ("catalog PDF", f"/wholesale/{SLUG}/catalog.pdf", "buyer", "%PDF", 1, 2),
]

WRK_LUA = r"""
local marker, want = os.getenv("BENCH_MARKER"), tonumber(os.getenv("BENCH_WANT"))
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 return end
  local n, i = 0, 1
  while n < want do
    local s = body:find(marker, i, true)
    if not s then break end
    n, i = n + 1, s + 1
  end
  if n < want then bad = bad + 1 end
end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"us":%d,"p50":%d,"p99":%d,"bad":%d,"errors":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), b,
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def env_for(app_db: str, **extra) -> dict:
    """The production environment: owner migrates, app role serves."""
    env = dict(os.environ)
    env.update(
        APP_ENV="production",
        SECRET_KEY="bench-" + uuid.uuid4().hex,
        SMTP_HOST=HOST,  # required in production; a GET never sends mail
        DATABASE_URL=url(APP_ROLE, app_db),
        MIGRATION_DATABASE_URL=url(OWNER_ROLE, app_db),
        APP_DB_ROLE=APP_ROLE,
        PYTHONPATH=str(ROOT),
    )
    env.pop("REDIS_URL", None)
    env.update(extra)
    return env


def flask(env, *args) -> None:
    subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def build_app_database(app_db: str) -> None:
    """Migrate as the owner, load the demo as the app, then the bench's own rows."""
    recreate_database(app_db)
    env = env_for(app_db)
    flask(env, "db", "upgrade")
    flask(env, "check-db-role")
    flask(env, "seed-demo")
    app = in_process_app(app_db)
    with app.app_context():
        _grow_rosemary_rye()
        _grow_little_crumb()


def in_process_app(app_db: str):
    from config.root.app import create_app
    from config.settings import Settings

    settings = Settings.from_env(
        {"APP_ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url(APP_ROLE, app_db)}
    )
    return create_app(settings)


def _tenant(slug):
    from sqlalchemy import select

    from config.extensions import db
    from tenants.models import Tenant
    from tenants.scoping import bind_tenant

    db.session.remove()
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == slug))
    bind_tenant(db.session, tenant.id)
    return tenant


def _product_rows(tenant_id, count, start, category_id=None):
    rng = random.Random(start)
    return [
        {
            "tenant_id": tenant_id,
            "id": uuid.uuid4(),
            "sku": f"BENCH-{i:05d}",
            "name": f"Bench loaf {i} – ‘seeded’ ÄÖÜ",
            "description": "",
            "unit": "each",
            "pack_size": 1 + (i % 3 == 0) * 5,
            "base_price_minor": rng.randint(80, 4000),
            "tax_rate": Decimal("0"),
            "active": True,
            "min_order_qty": 1,
            "qty_increment": 1,
            "lead_time_days": 1,
            "bake_days": "1111111",
            "category_id": category_id,
        }
        for i in range(start, start + count)
    ]


def _grow_rosemary_rye() -> None:
    """200 active products, every one on Café Aurora's list with two breaks; 50 customers."""
    from datetime import UTC, datetime

    from sqlalchemy import func, insert, select

    from config.extensions import db
    from tenants.catalog.models import Category, PriceListEntry, Product, VolumeBreak
    from tenants.customers.models import Customer
    from tenants.text_keys import fold_key

    tenant = _tenant(SLUG)
    # Count what the buyer's catalog shows (the demo has products out of season or inactive).
    have = db.session.scalar(
        select(func.count(Product.id)).where(
            Product.active.is_(True), Product.in_season(datetime.now(UTC).date())
        )
    )
    category = db.session.scalar(select(Category).order_by(Category.position.desc()).limit(1))
    db.session.execute(
        insert(Product), _product_rows(tenant.id, CATALOG_SIZE - have, 0, category.id)
    )
    aurora = db.session.scalar(select(Customer).where(Customer.business_name == "Café Aurora"))
    priced = set(
        db.session.scalars(
            select(PriceListEntry.product_id).where(
                PriceListEntry.price_list_id == aurora.price_list_id
            )
        )
    )
    entries, breaks = [], []
    for product in db.session.scalars(select(Product)):
        if product.id in priced:
            continue
        entry_id, price = uuid.uuid4(), max(product.base_price_minor - 15, 1)
        entries.append(
            {
                "tenant_id": tenant.id,
                "id": entry_id,
                "price_list_id": aurora.price_list_id,
                "product_id": product.id,
                "unit_price_minor": price,
            }
        )
        for qty, less in ((12, 10), (48, 25)):
            breaks.append(
                {
                    "tenant_id": tenant.id,
                    "id": uuid.uuid4(),
                    "entry_id": entry_id,
                    "min_qty": qty,
                    "unit_price_minor": max(price - less, 1),
                }
            )
    db.session.execute(insert(PriceListEntry), entries)
    db.session.execute(insert(VolumeBreak), breaks)
    db.session.execute(
        insert(Customer),
        [
            {
                "tenant_id": tenant.id,
                "id": uuid.uuid4(),
                "business_name": f"Bench customer {i}",
                "name_key": fold_key(f"Bench customer {i}"),
            }
            for i in range(EXTRA_CUSTOMERS)
        ],
    )
    db.session.commit()


def _grow_little_crumb() -> None:
    from sqlalchemy import insert

    from config.extensions import db
    from tenants.catalog.models import Product

    tenant = _tenant("little-crumb")
    db.session.execute(insert(Product), _product_rows(tenant.id, OTHER_BAKERY_PRODUCTS, 0))
    db.session.commit()
    db.session.remove()


def build_floor_database(floor_db: str) -> None:
    import psycopg

    recreate_database(floor_db)
    with psycopg.connect(admin_dsn(floor_db).replace("user=postgres", f"user={OWNER_ROLE}")) as c:
        c.execute(
            "CREATE TABLE floor_rows (tenant_id int NOT NULL, id int NOT NULL, sku text NOT NULL,"
            " name text NOT NULL, unit text NOT NULL, price_minor int NOT NULL,"
            " PRIMARY KEY (tenant_id, id))"
        )
        c.execute(
            "INSERT INTO floor_rows SELECT t, i, 'BENCH-' || lpad(i::text, 5, '0'),"
            " 'Bench loaf ' || i, 'each', 80 + (i * 37) %% 4000"
            " FROM generate_series(1, %s) t, generate_series(1, %s) i",
            (FLOOR_TENANTS, FLOOR_ROWS),
        )
        c.execute(f"GRANT SELECT ON floor_rows TO {APP_ROLE}")
        c.execute("ANALYZE floor_rows")


# --- counting statements in-process -------------------------------------------------------


def count_statements(app_db: str) -> dict[str, tuple[int, int, list[str]]]:
    """Per page: (statements, distinct, the texts sent more than once), as the 2nd request."""
    from collections import Counter

    from sqlalchemy import event

    from config.extensions import db

    app = in_process_app(app_db)
    app.config["WTF_CSRF_ENABLED"] = False
    clients = {"buyer": app.test_client(), "staff": app.test_client()}
    clients["buyer"].post(f"/wholesale/{SLUG}/login", data={"email": BUYER, "password": PASSWORD})
    clients["staff"].post(f"/admin/{SLUG}/login", data={"email": STAFF, "password": PASSWORD})
    with app.app_context():
        engine = db.engine
    result = {}
    for name, path, who, *_ in PAGES:
        if who is None:
            continue
        sent: list[str] = []

        def before(conn, cursor, statement, parameters, context, executemany, sent=sent):
            sent.append(f"{statement} {parameters!r}")

        clients[who].get(path)  # warm the statement caches
        event.listen(engine, "before_cursor_execute", before)
        response = clients[who].get(path)
        event.remove(engine, "before_cursor_execute", before)
        assert response.status_code == 200, (name, response.status_code)
        repeated = [" ".join(s.split())[:140] for s, n in Counter(sent).items() if n > 1]
        result[name] = (len(sent), len(set(sent)), repeated)
    return result


# --- serving -----------------------------------------------------------------------------


def start(env, port: int, target: str, workers: int, chdir: Path, log: Path):
    try:  # a server left on the port would answer the health check for this one
        request(port, "GET", "/")
    except OSError:
        pass
    else:
        raise SystemExit(f"something already listens on {HOST}:{port}; stop it or pass --port")
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    process = subprocess.Popen(  # noqa: S603
        [
            gunicorn,
            "-w",
            str(workers),
            "-b",
            f"{HOST}:{port}",
            "--chdir",
            str(chdir),
            "--timeout",
            "60",
            target,
        ],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _, _ = request(port, "GET", "/healthz" if "wsgi" in target else "/")
            if status == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.3)
    stop(process)
    raise SystemExit(f"{target} did not start; see {log}")


def stop(process) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def worker_cpu(master_pid: int) -> float:
    """Seconds of user+system CPU the master's children (the workers) have used so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def request(port, method, path, body=None, cookie=""):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    cookies = [v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
    conn.close()
    return response.status, data, cookies


def sign_in(port, path, email) -> str:
    """The session cookie of a real sign-in (CSRF token and all)."""
    status, page, cookies = request(port, "GET", path)
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page).group(1).decode()
    form = urlencode({"csrf_token": token, "email": email, "password": PASSWORD})
    status, _, cookies = request(port, "POST", path, body=form, cookie="; ".join(cookies))
    if status != 302 or not cookies:
        raise SystemExit(f"sign-in at {path} failed ({status})")
    return "; ".join(cookies)


def check_page(name, status, body) -> None:
    """Each page really holds its rows, each product with a price."""
    if status != 200:
        raise SystemExit(f"{name}: HTTP {status}")
    if name in ("floor", "catalog"):
        rows = re.findall(rb'<tr data-sku="[^"]+"[^>]*>.*?class="price"[^>]*>([^<]*)<', body, re.S)
        priced = [r for r in rows if re.search(rb"\d", r)]
        if len(rows) != CATALOG_SIZE or len(priced) != CATALOG_SIZE:
            raise SystemExit(f"{name}: {len(rows)} rows, {len(priced)} with a price")
    elif name == "catalog CSV":
        lines = body.decode("utf-8-sig").strip().splitlines()[1:]
        priced = [ln for ln in lines if re.search(r",\D?\d+[.,]\d\d,", ln)]
        if len(lines) != CATALOG_SIZE or len(priced) != CATALOG_SIZE:
            raise SystemExit(f"{name}: {len(lines)} rows, {len(priced)} with a price")
    elif name == "catalog PDF":
        with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
            f.write(body)
            f.flush()
            text = subprocess.run(  # noqa: S603
                ["pdftotext", "-layout", f.name, "-"],  # noqa: S607
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        # One text line per product carries its price (a wrapped name or SKU adds lines
        # without one).
        priced = [ln for ln in text.splitlines() if re.search(r"\d[.,]\d\d(\s|$)", ln)]
        if len(priced) != CATALOG_SIZE:
            raise SystemExit(f"{name}: {len(priced)} priced products in the text")
    elif name == "staff products" and body.count(b'name="product_ids"') < 50:
        raise SystemExit(f"{name}: fewer than 50 rows")
    elif name == "staff customers" and body.count(b"Bench customer") < EXTRA_CUSTOMERS:
        raise SystemExit(f"{name}: fewer than {EXTRA_CUSTOMERS} customers")


def run_wrk(port, path, cookie, marker, want, threads, connections, seconds, lua) -> dict:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    cmd += ["-s", str(lua)]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    cmd.append(f"http://{HOST}:{port}{path}")
    env = dict(os.environ, BENCH_MARKER=marker, BENCH_WANT=str(want))
    out = subprocess.run(  # noqa: S603
        cmd, capture_output=True, text=True, env=env, timeout=seconds + 30, check=True
    ).stdout
    line = next(ln for ln in out.splitlines() if ln.startswith("BENCH "))
    return json.loads(line[len("BENCH ") :])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8311, help="the app's; the floor's is +1")
    parser.add_argument("--db-prefix", default="bakery_bench")
    parser.add_argument("--reuse", action="store_true", help="skip building the databases")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing (Debian package `wrk`)")
    app_db, floor_db = f"{args.db_prefix}_app", f"{args.db_prefix}_floor"

    if not args.reuse:
        t0 = time.perf_counter()
        ensure_roles()
        build_app_database(app_db)
        build_floor_database(floor_db)
        print(f"built {app_db} and {floor_db} in {time.perf_counter() - t0:.0f}s")
    statements = count_statements(app_db)

    work = Path(tempfile.mkdtemp(prefix="bench_http_"))
    lua = work / "check.lua"
    lua.write_text(WRK_LUA)
    env = env_for(app_db)
    floor_env = dict(os.environ, FLOOR_DATABASE_URL=url(APP_ROLE, floor_db))
    app = start(env, args.port, "wsgi:app", args.workers, ROOT, work / "app.log")
    floor = None
    try:
        floor = start(
            floor_env,
            args.port + 1,
            "bench_floor:app",
            args.workers,
            ROOT / "scripts",
            work / "f.log",
        )
        cookies = {
            "buyer": sign_in(args.port, f"/wholesale/{SLUG}/login", BUYER),
            "staff": sign_in(args.port, f"/admin/{SLUG}/login", STAFF),
        }
        results: dict[str, list[dict]] = {p[0]: [] for p in PAGES}
        for round_no in range(1, args.rounds + 1):
            for name, path, who, marker, want, conns in PAGES:
                port, master = (args.port + 1, floor) if who is None else (args.port, app)
                cookie = cookies.get(who, "")
                status, body, _ = request(port, "GET", path, cookie=cookie)
                check_page(name, status, body)
                cpu = worker_cpu(master.pid)
                r = run_wrk(
                    port,
                    path,
                    cookie,
                    marker,
                    want,
                    min(args.threads, conns or args.threads),
                    conns or args.connections,
                    args.seconds,
                    lua,
                )
                r["cpu"] = worker_cpu(master.pid) - cpu
                if r["bad"] or r["errors"]:
                    raise SystemExit(f"{name}: {r['bad']} wrong responses, {r['errors']} errors")
                results[name].append(r)
            print(f"round {round_no} of {args.rounds} done", flush=True)
    finally:
        stop(app)
        if floor is not None:
            stop(floor)

    rps = {n: [r["requests"] / (r["us"] / 1e6) for r in rs] for n, rs in results.items()}
    print()
    print(
        f"{args.workers} gunicorn sync workers each; wrk {args.threads} threads x "
        f"{args.connections} connections (PDF: 2), {args.rounds} alternating rounds of "
        f"{args.seconds}s; medians over rounds; ratio = req/s / floor's req/s in the same round"
    )
    print(
        f"{'page':<16} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'CPU ms/req':>11} "
        f"{'x floor':>8} {'SQL/req':>8}"
    )
    for name, rs in results.items():
        ratio = statistics.median(a / f for a, f in zip(rps[name], rps["floor"], strict=True))
        cpu = statistics.median(r["cpu"] * 1000 / r["requests"] for r in rs)
        sql = statements.get(name, (1, 1, []))
        print(
            f"{name:<16} {statistics.median(rps[name]):>8.1f} "
            f"{statistics.median(r['p50'] for r in rs) / 1000:>8.1f} "
            f"{statistics.median(r['p99'] for r in rs) / 1000:>8.1f} {cpu:>11.1f} "
            f"{ratio:>7.1%} {sql[0]:>8}"
        )
    print("\nSQL per request (in-process, 2nd request; the floor sends 1):")
    for name, (total, distinct, repeated) in statements.items():
        print(f"  {name}: {total} statements, {distinct} distinct")
        for text in repeated:
            print(f"      repeated: {text}")


if __name__ == "__main__":
    main()
