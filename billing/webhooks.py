"""The two Stripe webhook endpoints (DESIGN's URL map: /webhooks/stripe/...).

`/webhooks/stripe/platform` takes the platform account's events (the bakeries' subscriptions),
signed with STRIPE_WEBHOOK_SECRET; `/webhooks/stripe/connect` takes the connected accounts'
events, signed with STRIPE_CONNECT_WEBHOOK_SECRET. Each verifies the signature on the raw body,
stores the event id once and answers 200 at once; a job applies the event after the commit.
Without Stripe configured both answer 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request

from billing import stripe_gateway as gateway
from billing.stripe_events import UnknownAccount, receive_connect_event, receive_platform_event
from config.extensions import csrf, db

bp = Blueprint("stripe_webhooks", __name__, url_prefix="/webhooks/stripe")
csrf.exempt(bp)  # Stripe signs its requests; a CSRF token cannot apply


def _verified(secret: str) -> dict:
    if not gateway.is_on() or not secret:
        abort(404)
    try:
        return gateway.verify_event(
            request.get_data(cache=False), request.headers.get("Stripe-Signature"), secret
        )
    except gateway.BadSignature as exc:
        current_app.logger.warning("Stripe webhook refused: %s", exc.message)
        abort(400)


@bp.post("/platform")
def platform():
    event = _verified(current_app.config["SETTINGS"].stripe_webhook_secret)
    stored = receive_platform_event(db.session, event)
    db.session.commit()
    return jsonify(received=True, duplicate=not stored)


@bp.post("/connect")
def connect():
    event = _verified(current_app.config["SETTINGS"].stripe_connect_webhook_secret)
    try:
        stored = receive_connect_event(db.session, event)
    except UnknownAccount as exc:
        db.session.rollback()
        return jsonify(received=False, error=exc.message), 400
    db.session.commit()
    return jsonify(received=True, duplicate=not stored)
