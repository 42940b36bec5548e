"""Asking for a reset or sign-in link does the same work whether or not the address has an
account: the request queues one job and writes no email; the job finds the account (or not)
outside the request. So the answer's timing says nothing about who has an account."""

import pytest
from rq import Queue
from sqlalchemy import func, select

from config.extensions import db
from tenants.outbox import OutboundEmail
from tests.support.factories import make_buyer, tenant_session
from tests.support.queries import count_queries

EMAIL = "sam@cafe.example"


def _outbox_count(app, bakery) -> int:
    with tenant_session(app, bakery.id) as session:
        return session.scalar(select(func.count(OutboundEmail.id)))


def _queued(redis_conn) -> list[tuple]:
    jobs = Queue("mail", connection=redis_conn).jobs
    return [(job.args[0], *job.args[2:]) for job in jobs]


@pytest.mark.parametrize(
    ("path", "kind", "known"),
    [
        ("/wholesale/{slug}/forgot", "buyer_reset", EMAIL),
        ("/wholesale/{slug}/magic", "buyer_magic", EMAIL),
        ("/admin/{slug}/forgot", "staff_reset", "owner@example.com"),
    ],
)
def test_a_known_and_an_unknown_address_make_the_same_request_work(
    rq_app, redis_conn, work, two_bakeries, mailbox, path, kind, known
):
    north, south = two_bakeries
    make_buyer(rq_app, north, email=EMAIL)
    make_buyer(rq_app, south, email=EMAIL)
    url = path.format(slug=north.slug)
    with rq_app.app_context():
        engine = db.engine
    answers, statements = [], []
    for email in (known, "nobody@cafe.example"):
        with count_queries(engine) as counter:
            answer = rq_app.test_client().post(url, data={"email": email})
        answers.append((answer.status_code, answer.location))
        statements.append([s.split()[0] for s in counter.statements])
    assert answers[0] == answers[1]
    assert statements[0] == statements[1]  # the same statements, in the same order
    assert _outbox_count(rq_app, north) == 0  # no email was written inside either request
    assert _queued(redis_conn) == [
        ("jobs.links.send_requested_link", kind, known),
        ("jobs.links.send_requested_link", kind, "nobody@cafe.example"),
    ]
    assert work() == 3  # two link jobs, then the one email the known address gets
    assert [m["To"].split("<")[-1].rstrip(">") for m in mailbox.messages] == [known]
    assert _outbox_count(rq_app, south) == 0
