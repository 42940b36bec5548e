"""Fan-out: one job per row, handed out a batch at a time after the read that found them."""

from __future__ import annotations

from jobs.fanout import Job, fan_out
from tests.jobs.helpers import outbox_rows
from tests.support.factories import add_outbound_email


def test_every_job_is_handed_out_across_batches_and_each_runs(app, two_bakeries, mailbox):
    north, south = two_bakeries
    emails = [
        (bakery, add_outbound_email(app, bakery, to_email=f"{bakery.slug}-{n}@example.com"))
        for bakery in two_bakeries
        for n in range(3)
    ]
    with app.app_context():
        # A lazy generator, as a page-by-page read would be; batches of two over six rows.
        jobs = (
            Job("jobs.mail.deliver_email", (str(bakery.id), str(row)), queue="mail")
            for bakery, row in emails
        )
        assert fan_out(jobs, batch_size=2) == 6
    assert sorted(m["X-Envelope-To"] for m in mailbox.messages) == sorted(
        f"{bakery.slug}-{n}@example.com" for bakery in two_bakeries for n in range(3)
    )
    assert {r["status"] for r in outbox_rows(app, north) + outbox_rows(app, south)} == {"sent"}


def test_nothing_to_hand_out_still_ends_the_read_transaction(app):
    from config.extensions import db

    with app.app_context():
        db.session.execute(db.text("SELECT 1"))
        assert db.session().in_transaction()
        assert fan_out([]) == 0
        assert not db.session().in_transaction()
