"""`url_for` for templates that remembers the URLs it built.

Pages build the same URLs on every request: the navigation's links, the stylesheet, a link per
row to the same products or customers. Flask's `url_for` costs about 15 µs a call (Werkzeug's
rule builder percent-quotes every value), and a staff list page calls it 70 times: about a
tenth of the page's CPU. The text of a relative URL depends only on the endpoint, the values
once the app's URL defaults have run (they add the bakery's slug, so two bakeries never share
an entry), in their order (unknown values become the query string in that order), and the
request's script root. Keyed on exactly that, a built URL is reused (bounded, per process).

Anything else goes to Flask's `url_for` unchanged: outside a request, an external URL, a
scheme, an anchor or a method, a value that is not a str, int or UUID, and apps that route by
host or subdomain (there the host decides too).
"""

from __future__ import annotations

import uuid

from flask import current_app, has_request_context, request, url_for
from sqlalchemy.util import LRUCache

_PLAIN = frozenset({str, int, uuid.UUID})
_BUILT: LRUCache = LRUCache(20_000)


def remembered_url_for(endpoint: str, **values) -> str:
    """`url_for(endpoint, **values)`, the same text, built once per distinct key."""
    if not has_request_context() or any(
        name[:1] == "_" or type(value) not in _PLAIN for name, value in values.items()
    ):
        return url_for(endpoint, **values)
    app = current_app._get_current_object()
    if app.url_map.host_matching or app.subdomain_matching:
        return url_for(endpoint, **values)
    req = request._get_current_object()
    if endpoint[:1] == ".":
        blueprint = req.blueprint
        endpoint = f"{blueprint}{endpoint}" if blueprint else endpoint[1:]
    app.inject_url_defaults(endpoint, values)
    key = (req.script_root, endpoint, *values.items())
    try:
        return _BUILT[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable value a default added
        return url_for(endpoint, **values)
    built = _BUILT[key] = url_for(endpoint, **values)
    return built


# Stands in for the varying value while a row URL's pattern is built; UUID text never needs
# quoting in a path, so the value is put where this stood as it is.
_ROW_VALUE = "00000000-0000-0000-0000-00000000cafe"


def row_url(endpoint: str, name: str, **values):
    """For list pages: a function of a UUID giving `url_for(endpoint, **{name: id}, **values)`.

    The URL is built once with a stand-in id and split around it, so each of a page's rows
    costs a string join instead of a build (about 10 µs). Anything but a UUID goes to
    `remembered_url_for`, and so does an endpoint whose URL does not hold the value in its path.
    """
    built = remembered_url_for(endpoint, **{name: _ROW_VALUE}, **values)
    head, found, tail = built.partition(_ROW_VALUE)

    def url(value) -> str:
        if found and type(value) is uuid.UUID:
            return f"{head}{value}{tail}"
        return remembered_url_for(endpoint, **{name: value}, **values)

    return url


def install(app) -> None:
    """Templates of `app` build URLs with `remembered_url_for`, and rows' with `row_url`."""
    app.jinja_env.globals["url_for"] = remembered_url_for
    app.jinja_env.globals["row_url"] = row_url
