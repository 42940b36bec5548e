"""The catalog import job: runs after the commit that queued it, and is safe to run twice."""

from sqlalchemy import func, select

from jobs.runtime import execute
from tenants.catalog.imports import get_run, start_import
from tenants.catalog.models import Product
from tests.support.catalog import (
    tenant_of,
)
from tests.support.factories import tenant_session

CSV = b"sku,name,base_price\nBAG-01,Baguette,2.50\nCRO-01,Croissant,1.20\n"


def test_the_job_runs_once_after_commit_and_a_second_run_changes_nothing(app, two_bakeries):
    north, south = two_bakeries
    with tenant_session(app, north.id) as session:
        run_id = start_import(
            session, tenant_of(session, north), actor=None, kind="products", data=CSV
        ).id
    with tenant_session(app, north.id) as session:
        run = get_run(session, run_id)
        assert (run.status, run.summary["created"], run.payload) == ("done", 2, "")
        finished_at = run.finished_at
    assert execute(app, "jobs.catalog_import.run_import", str(north.id), str(run_id)) == "done"
    with tenant_session(app, north.id) as session:
        assert get_run(session, run_id).finished_at == finished_at
        assert session.scalar(select(func.count(Product.id))) == 2
    with tenant_session(app, south.id) as session:
        assert session.scalar(select(func.count(Product.id))) == 0


def test_a_rolled_back_request_queues_no_import(app, bakeries):
    north, _ = bakeries
    with app.app_context():
        from config.extensions import db
        from tenants.scoping import bind_tenant

        bind_tenant(db.session, north.id)
        run_id = start_import(
            db.session, tenant_of(db.session, north), actor=None, kind="products", data=CSV
        ).id
        db.session.rollback()
    with tenant_session(app, north.id) as session:
        assert session.scalar(select(func.count(Product.id))) == 0
        from tenants.catalog.models import ImportRun

        assert session.get(ImportRun, (north.id, run_id)) is None


def test_with_redis_the_upload_is_queued_and_the_page_shows_it_until_a_worker_runs_it(
    app, two_bakeries
):
    import io

    from jobs.backends import RQBackend
    from tests.support.factories import sign_in_staff

    north, _ = two_bakeries
    backend = RQBackend("redis://127.0.0.1:6379/12")
    queue = backend.queue("default")
    queue.empty()
    original = app.extensions["job_backend"]
    app.extensions["job_backend"] = backend
    try:
        client = app.test_client()
        sign_in_staff(client, north)
        response = client.post(
            f"/admin/{north.slug}/catalog/import",
            data={"kind": "products", "price_list_id": "", "file": (io.BytesIO(CSV), "p.csv")},
            content_type="multipart/form-data",
        )
        run_url = response.headers["Location"]
        waiting = client.get(run_url + "/progress").json
        assert (waiting["status"], waiting["done"], waiting["total"]) == ("queued", 0, 2)
        assert "catalog_import.js" in client.get(run_url).get_data(as_text=True)
        (job,) = queue.get_jobs()
        assert job.func_name == "jobs.runtime.run" and job.args[1] == str(north.id)
        execute(app, *job.args)  # what the worker's jobs.runtime.run does, in this app
        finished = client.get(run_url + "/progress").json
        assert (finished["status"], finished["done"], finished["summary"]["created"]) == (
            "done",
            2,
            2,
        )
    finally:
        app.extensions["job_backend"] = original
        queue.empty()


def test_an_upload_while_redis_is_down_is_imported_once_by_a_later_relay(
    rq_app, work, redis_conn, two_bakeries
):
    import io
    from datetime import UTC, datetime, timedelta

    from freezegun import freeze_time
    from rq.job import Job

    from jobs.backends import RQBackend
    from tenants.catalog.imports import STALE_QUEUED, import_job_id
    from tests.jobs.helpers import relay, run_job
    from tests.support.factories import sign_in_staff

    north, south = two_bakeries
    client = rq_app.test_client()
    with freeze_time(datetime(2026, 11, 23, 9, 0, tzinfo=UTC)) as clock:
        sign_in_staff(client, north)
        working = rq_app.extensions["job_backend"]
        rq_app.extensions["job_backend"] = RQBackend("redis://127.0.0.1:1/0")  # nothing listens
        response = client.post(
            f"/admin/{north.slug}/catalog/import",
            data={"kind": "products", "price_list_id": "", "file": (io.BytesIO(CSV), "p.csv")},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302  # the upload succeeded without a broker
        run_url = response.headers["Location"]
        run_id = run_url.rstrip("/").rsplit("/", 1)[1]
        rq_app.extensions["job_backend"] = working  # Redis is back

        clock.tick(STALE_QUEUED - timedelta(seconds=1))
        assert relay(rq_app) == 0  # a fresh upload's own job may still be on its way
        assert client.get(run_url + "/progress").json["status"] == "queued"

        clock.tick(timedelta(seconds=2))
        assert relay(rq_app) == 1
        assert relay(rq_app) == 1  # offered again while waiting: RQ keeps one job of that id
        assert Job.fetch(import_job_id(run_id), connection=redis_conn).get_status() == "queued"
        assert work() == 1
        finished = client.get(run_url + "/progress").json
        assert (finished["status"], finished["summary"]["created"]) == ("done", 2)
        assert relay(rq_app) == 0
    # A duplicate of the job finds the run already claimed and finished.
    assert run_job(rq_app, "jobs.catalog_import.run_import", str(north.id), run_id) == "done"
    with tenant_session(rq_app, north.id) as session:
        assert session.scalar(select(func.count(Product.id))) == 2
    with tenant_session(rq_app, south.id) as session:
        assert session.scalar(select(func.count(Product.id))) == 0


def _stuck_run(app, bakery, claimed_at):
    """A run a worker claimed at `claimed_at` and then died on: running, nothing applied."""
    from tenants.catalog.models import ImportRun

    with tenant_session(app, bakery.id) as session:
        run = ImportRun(
            tenant_id=bakery.id,
            kind="products",
            status="running",
            total=2,
            options={"import_valid_rows": False},
            payload=CSV.decode(),
            claimed_at=claimed_at,
        )
        session.add(run)
        session.flush()
        return run.id


def test_a_run_whose_worker_died_is_taken_again_once_it_shows_no_life(app, two_bakeries):
    from datetime import UTC, datetime, timedelta

    from freezegun import freeze_time

    from tenants.catalog.imports import STALE_RUNNING
    from tests.jobs.helpers import relay

    north, south = two_bakeries
    start = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    with freeze_time(start) as clock:
        dead = _stuck_run(app, north, claimed_at=start)
        clock.tick(STALE_RUNNING - timedelta(minutes=1))
        busy = _stuck_run(app, south, claimed_at=start + STALE_RUNNING - timedelta(minutes=2))
        assert relay(app) == 0  # still within its time: its worker may be at it
        # A duplicate job for a run another worker is still on leaves it alone.
        assert execute(app, "jobs.catalog_import.run_import", str(north.id), str(dead)) == "running"
        clock.tick(timedelta(minutes=2))
        assert relay(app) == 1  # north's run only: south's worker showed life recently
    with tenant_session(app, north.id) as session:
        run = get_run(session, dead)
        assert (run.status, run.summary["created"]) == ("done", 2)
        assert session.scalar(select(func.count(Product.id))) == 2
    with tenant_session(app, south.id) as session:
        assert get_run(session, busy).status == "running"
        assert session.scalar(select(func.count(Product.id))) == 0
