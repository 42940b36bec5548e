"""A stand-in for Stripe's HTTP API under the real `stripe` library (its `http_client=` seam).

`FakeStripe` records every request (method, path, form parameters, headers) and answers from
objects the test put there, so the library's own request building, option handling and
retries run for real and nothing reaches the network. `stripe_on` switches Stripe on for the
test app with signing secrets and this client; `post_event` signs a webhook like Stripe does.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe

PLATFORM_SECRET = "whsec_platform_test"
CONNECT_SECRET = "whsec_connect_test"


@dataclass
class Call:
    method: str
    path: str
    params: dict
    headers: dict

    def header(self, name: str) -> str | None:
        return {k.lower(): v for k, v in self.headers.items()}.get(name.lower())


class FakeStripe(stripe.HTTPClient):
    """Answers like Stripe's API from `objects` (path -> JSON); creations get fresh ids."""

    name = "fake"

    def __init__(self):
        super().__init__()
        self.calls: list[Call] = []
        self.objects: dict[str, dict] = {}
        self.failures: list[int] = []  # statuses to answer the next requests with, in order
        self._ids = itertools.count(1)
        # What POST /v1/payment_intents (an off-session charge) answers: "succeeded", or
        # "declined" for a card error carrying the failed PaymentIntent.
        self.off_session_outcome = "succeeded"
        # Between the ids' "test" and number: "" in unit tests (cs_test1, ...); a browser test
        # sharing one server's database across tests sets its own, as Stripe never repeats an id.
        self.tag = ""

    def _sleep_time_seconds(self, num_retries: int) -> float:
        return 0.0  # the library's retries run, without the wait

    def put(self, obj: dict, path: str | None = None) -> dict:
        """Make `obj` what GET answers at `path` (by default /v1/<kind>s/<id>)."""
        kinds = {
            "subscription": "subscriptions",
            "invoice": "invoices",
            "account": "accounts",
            "checkout.session": "checkout/sessions",
            "payment_intent": "payment_intents",
            "charge": "charges",
            "dispute": "disputes",
            "setup_intent": "setup_intents",
        }
        self.objects[path or f"/v1/{kinds[obj['object']]}/{obj['id']}"] = obj
        return obj

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        raw = post_data.decode() if isinstance(post_data, bytes) else (post_data or parts.query)
        call = Call(method.upper(), parts.path, dict(parse_qsl(raw)), dict(headers or {}))
        self.calls.append(call)
        if self.failures:
            status = self.failures.pop(0)
            return json.dumps({"error": {"message": "stand-in failure"}}), status, {}
        body, status = self._answer(call)
        return json.dumps(body), status, {"Request-Id": f"req_{next(self._ids)}"}

    def _answer(self, call: Call):
        if call.method == "GET":
            if call.path == "/v1/subscriptions":
                customer = call.params.get("customer")
                data = [
                    o
                    for p, o in self.objects.items()
                    if p.startswith("/v1/subscriptions/") and o.get("customer") == customer
                ]
                return {"object": "list", "data": data, "has_more": False}, 200
            if call.path in self.objects:
                return self.objects[call.path], 200
            return {"error": {"type": "invalid_request_error", "message": "No such object"}}, 404
        n = next(self._ids)
        if call.path == "/v1/customers":
            return {"id": f"cus_test{self.tag}{n}", "object": "customer"}, 200
        if call.path == "/v1/checkout/sessions":
            checkout = {
                "id": f"cs_test{self.tag}{n}",
                "object": "checkout.session",
                "url": f"https://checkout.stripe.com/c/pay/cs_test{self.tag}{n}",
                "mode": call.params.get("mode", "payment"),
                "status": "open",
                "payment_status": "unpaid",
                "payment_intent": None,
                "metadata": {
                    k[len("metadata[") : -1]: v
                    for k, v in call.params.items()
                    if k.startswith("metadata[")
                },
            }
            self.put(checkout)
            return checkout, 200
        if call.path.startswith("/v1/checkout/sessions/") and call.path.endswith("/expire"):
            stored = self.objects.get(call.path[: -len("/expire")])
            if stored is None:
                return {"error": {"type": "invalid_request_error", "message": "No such"}}, 404
            if stored.get("status") != "open":
                message = f"This Checkout Session is {stored.get('status')}."
                return {"error": {"type": "invalid_request_error", "message": message}}, 400
            stored["status"] = "expired"
            return stored, 200
        if call.path == "/v1/payment_intents":
            intent = {
                "id": f"pi_test{self.tag}{n}",
                "object": "payment_intent",
                "amount": int(call.params["amount"]),
                "amount_received": int(call.params["amount"]),
                "currency": call.params["currency"],
                "status": "succeeded",
                "latest_charge": f"ch_test{self.tag}{n}",
                "metadata": {
                    k[len("metadata[") : -1]: v
                    for k, v in call.params.items()
                    if k.startswith("metadata[")
                },
            }
            if self.off_session_outcome == "declined":
                intent.update(status="requires_payment_method", amount_received=0)
                self.put(intent)
                return {
                    "error": {
                        "type": "card_error",
                        "code": "card_declined",
                        "message": "Your card was declined.",
                        "payment_intent": intent,
                    }
                }, 402
            self.put(intent)
            return intent, 200
        if call.path.endswith("/detach"):
            return {"id": call.path.split("/")[3], "object": "payment_method"}, 200
        if call.path == "/v1/billing_portal/sessions":
            return {
                "id": f"bps_test{self.tag}{n}",
                "object": "billing_portal.session",
                "url": f"https://billing.stripe.com/p/session/bps_test{self.tag}{n}",
            }, 200
        if call.path == "/v1/accounts":
            account = account_object(f"acct_test{self.tag}{n}", details_submitted=False)
            self.put(account)
            return account, 200
        if call.path == "/v1/account_links":
            return {
                "object": "account_link",
                "url": f"https://connect.stripe.com/setup/s/{call.params['account']}",
            }, 200
        return {"error": {"message": f"stand-in has no answer for {call.path}"}}, 400

    def request_stream(self, *args, **kwargs):
        raise NotImplementedError

    def close(self):
        pass

    def of(self, method: str, path: str) -> list[Call]:
        return [c for c in self.calls if c.method == method and c.path == path]


def subscription_object(
    sub_id: str,
    customer: str,
    status: str,
    price: str,
    *,
    period_end: int = 1_800_000_000,
    trial_end: int | None = None,
    cancel_at_period_end: bool = False,
    payment_method: str | None = "pm_card",
) -> dict:
    return {
        "id": sub_id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "created": 1_790_000_000,
        "cancel_at_period_end": cancel_at_period_end,
        "trial_end": trial_end,
        "default_payment_method": payment_method,
        "items": {
            "object": "list",
            "data": [
                {
                    "id": f"si_{sub_id}",
                    "object": "subscription_item",
                    "price": {"id": price, "object": "price"},
                    "current_period_end": period_end,
                }
            ],
        },
    }


def account_object(
    account_id: str, *, details_submitted=True, charges=False, payouts=False, due=()
) -> dict:
    return {
        "id": account_id,
        "object": "account",
        "details_submitted": details_submitted,
        "charges_enabled": charges,
        "payouts_enabled": payouts,
        "requirements": {"currently_due": list(due), "past_due": [], "disabled_reason": None},
    }


def event(event_id: str, event_type: str, obj: dict, *, account: str | None = None) -> dict:
    data = {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "created": 1_790_000_000,
        "data": {"object": obj},
    }
    if account:
        data["account"] = account
    return data


def post_event(
    client, endpoint: str, body: dict | str, *, secret=None, timestamp=None, signature=None
):
    """POST `body` to /webhooks/stripe/<endpoint> signed as Stripe signs it."""
    payload = body if isinstance(body, str) else json.dumps(body)
    secret = secret or (PLATFORM_SECRET if endpoint == "platform" else CONNECT_SECRET)
    header = signature or stripe.WebhookSignature.generate_signature_header(
        payload, secret, timestamp
    )
    return client.post(
        f"/webhooks/stripe/{endpoint}",
        data=payload,
        headers={"Stripe-Signature": header},
        content_type="application/json",
    )


@pytest.fixture
def stripe_fake(app):
    """Stripe on for this test (keys, both signing secrets) behind a FakeStripe."""
    settings = app.config["SETTINGS"]
    app.config["SETTINGS"] = dataclasses.replace(
        settings,
        stripe_secret_key="sk_test_stand_in",
        stripe_webhook_secret=PLATFORM_SECRET,
        stripe_connect_webhook_secret=CONNECT_SECRET,
    )
    fake = FakeStripe()
    app.extensions["stripe_http_client"] = fake
    try:
        yield fake
    finally:
        app.config["SETTINGS"] = settings
        app.extensions.pop("stripe_http_client", None)
