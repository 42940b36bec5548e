"""Work is handed to the queue only when the outermost transaction commits."""

from __future__ import annotations

from config.after_commit import after_commit
from config.extensions import db
from tests.support.factories import tenant_session


def _recorder():
    calls = []
    return calls, lambda name: calls.append(name)


def test_callbacks_run_after_the_commit_and_never_after_a_rollback(app):
    calls, record = _recorder()
    with app.app_context():
        db.session.connection()
        after_commit(db.session, record, "rolled back")
        db.session.rollback()
        after_commit(db.session, record, "committed")
        assert calls == []
        db.session.commit()
    assert calls == ["committed"]


def test_releasing_a_savepoint_is_not_a_commit(app):
    calls, record = _recorder()
    with app.app_context():
        db.session.connection()
        with db.session.begin_nested():
            after_commit(db.session, record, "inside")
        assert calls == []  # the savepoint is released, the transaction is still open
        db.session.rollback()
        db.session.commit()
    assert calls == []


def test_a_rolled_back_savepoint_drops_only_its_own_callbacks(app):
    calls, record = _recorder()
    with app.app_context():
        db.session.connection()
        after_commit(db.session, record, "before")
        outer = db.session.begin_nested()
        after_commit(db.session, record, "outer savepoint")
        with db.session.begin_nested():
            after_commit(db.session, record, "inner, released into the outer one")
        outer.rollback()
        with db.session.begin_nested():
            after_commit(db.session, record, "kept savepoint")
        db.session.commit()
    assert calls == ["before", "kept savepoint"]


def test_an_email_queued_in_a_rolled_back_request_is_never_sent(app, mailbox, two_bakeries):
    from tenants.models import Tenant
    from tenants.outbox import queue_email

    north, _ = two_bakeries
    with app.app_context():
        from tenants.scoping import bind_tenant

        bind_tenant(db.session, north.id)
        tenant = db.session.get(Tenant, north.id)
        queue_email(
            db.session,
            tenant,
            to_email="x@example.com",
            template="notice",
            context={"headline": "Hi", "body": "Never sent."},
        )
        db.session.rollback()
    with tenant_session(app, north.id) as session:
        from tenants.outbox import recent_emails

        assert recent_emails(session) == []
    assert mailbox.messages == []
