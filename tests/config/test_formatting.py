"""Times people read are on the bakery's wall clock, in its locale, with the zone named."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from config.formatting import format_date, format_datetime

LONDON = SimpleNamespace(timezone="Europe/London", locale="en_GB")
BERLIN = SimpleNamespace(timezone="Europe/Berlin", locale="de_DE")


@pytest.mark.parametrize(
    ("bakery", "moment", "shown"),
    [
        (LONDON, datetime(2026, 12, 8, 19, 54, 54, tzinfo=UTC), "8 Dec 2026, 19:54 GMT"),
        (LONDON, datetime(2026, 7, 8, 19, 54, tzinfo=UTC), "8 Jul 2026, 20:54 BST"),
        (BERLIN, datetime(2026, 12, 8, 19, 54, tzinfo=UTC), "08.12.2026, 20:54 MEZ"),
        (BERLIN, datetime(2026, 7, 8, 23, 30, tzinfo=UTC), "09.07.2026, 01:30 MESZ"),
    ],
)
def test_a_stored_utc_moment_is_shown_on_the_bakerys_clock_with_its_zone(bakery, moment, shown):
    assert format_datetime(moment, bakery) == shown
    assert format_date(moment, bakery, with_time=True) == shown


def test_nothing_to_show_is_an_empty_string():
    assert format_datetime(None, LONDON) == ""


def test_the_jinja_filter_takes_the_bakery_from_the_request_or_from_its_argument(app):
    from flask import g, render_template_string

    moment = datetime(2026, 12, 8, 19, 54, tzinfo=UTC)
    with app.test_request_context("/"):
        g.tenant = BERLIN
        shown = render_template_string("{{ at | bakery_time }}", at=moment)
        assert shown == "08.12.2026, 20:54 MEZ"
        assert (
            render_template_string("{{ at | bakery_time(t) }}", at=moment, t=LONDON)
            == "8 Dec 2026, 19:54 GMT"
        )
