"""Demo: the two bakeries' plan subscriptions, so "Plan and billing" has something to show.

Rosemary & Rye pays for Professional monthly (its next payment date shows); Little Crumb is
in a trial of its Starter plan. No Stripe ids are invented: without keys the demo runs with
Stripe off (no pay buttons), as the embedded default should.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from config.clock import utcnow
from config.extensions import db
from tenants.models import Tenant


def seed_demo_billing(app) -> None:
    """Give the demo bakeries a subscription state once (a re-run changes nothing)."""
    now = utcnow().replace(second=0, microsecond=0)
    with app.app_context():
        for tenant in db.session.scalars(select(Tenant)):
            if tenant.current_period_end is not None or tenant.trial_ends_at is not None:
                continue
            if tenant.slug == "rosemary-rye":
                tenant.current_period_end = now + timedelta(days=18)
            elif tenant.slug == "little-crumb":
                tenant.subscription_status = "trialing"
                tenant.trial_ends_at = now + timedelta(days=9)
        db.session.commit()
