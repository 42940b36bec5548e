"""The bakery's language for the pages and emails its buyers read (Flask-Babel).

Catalogs live in the repo as gettext sources, `config/translations/<lang>/LC_MESSAGES/messages.po`.
The app compiles them at start into the instance folder (only when a source is newer than its
compiled file), so a fresh clone, a `pip install -e .` and CI all run with current catalogs and no
compiled file is ever committed or forgotten.

To add or change texts: wrap them in `_()` / `{% trans %}`, then
    pybabel extract --no-location --omit-header -k _l -F config/translations/babel.cfg \
        -o config/translations/messages.pot .
    pybabel update -i config/translations/messages.pot -d config/translations
and translate the new entries in each messages.po.
"""

from __future__ import annotations

import os
import weakref
from functools import cache
from pathlib import Path

from babel import Locale, localedata
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g, has_request_context, request
from flask_babel import Babel, get_translations

SOURCES = Path(__file__).resolve().parent / "translations"

babel = Babel()


def compile_catalogs(target: Path, sources: Path = SOURCES) -> list[Path]:
    """Compile every messages.po under `sources` into the same layout under `target`; returns
    the compiled files that were (re)written."""
    written = []
    for po_path in sorted(sources.glob("*/LC_MESSAGES/messages.po")):
        mo_path = target / po_path.relative_to(sources).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as source:
            catalog = read_po(source, locale=po_path.parts[-3])
        partial = mo_path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as out:
            write_mo(out, catalog)
        partial.replace(mo_path)  # atomic: another process starting never reads half a file
        written.append(mo_path)
    return written


# The pages a bakery's buyers read (and its mail-preferences page, reached from their emails)
# speak the bakery's language; the back office and the operators' console are English for now,
# so a German bakery's staff don't get a sign-in form half in German.
BUYER_PREFIXES = ("/wholesale/", "/mail/")


def bakery_locale() -> str:
    """The locale for this request: the bakery's ('de_DE') on buyers' pages, else English.

    Numbers and money keep following the bakery's locale everywhere (they are formatted and
    parsed with `tenant.locale` directly); only words switch here.
    """
    tenant = g.get("tenant")
    if tenant is None:
        return "en"
    # By path, not blueprint: a buyer's 404 has no matched rule and still deserves their language.
    if has_request_context() and not request.path.startswith(BUYER_PREFIXES):
        return english_for(tenant.locale)
    return tenant.locale


@cache
def english_for(locale: str) -> str:
    """English as written in the bakery's country: 'en_DE' for a German bakery ('Tuesday,
    8 December', 24-hour times), 'en_GB', 'en_US'; plain 'en' where CLDR has no such variant."""
    territory = Locale.parse(locale).territory
    candidate = f"en_{territory}" if territory else "en"
    return candidate if localedata.exists(candidate) else "en"


def bakery_timezone() -> str:
    tenant = g.get("tenant")
    return tenant.timezone if tenant is not None else "UTC"


def init_app(app) -> None:
    """Compile the catalogs into the instance folder and install Flask-Babel on `app`."""
    compiled = Path(app.instance_path) / "translations"
    compile_catalogs(compiled)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    babel.init_app(app, locale_selector=bakery_locale, timezone_selector=bakery_timezone)
    # Flask-Babel's template callables resolve context, domain and locale identifier again on
    # every `_()`: a 200-product catalog calls them about 1,600 times. Same catalogs, found
    # once per (domain, locale).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: current_translations().ugettext(s),
        ngettext=lambda s, p, n: current_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: current_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: current_translations().unpgettext(c, s, p, n),
    )


# Flask-Babel's per-request state holds the resolved locale (or the one `force_locale` set) and
# the domain; each domain's catalogs per locale never change after loading (Flask-Babel's own
# cache keeps them for the process too). Weak keys: tests build many apps, each with a domain.
_BY_DOMAIN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def current_translations():
    """The gettext catalogs for the current locale, as `flask_babel.get_translations()` returns
    them, without re-resolving the locale on each call once this request has resolved it."""
    try:
        state = g._flask_babel
        return _BY_DOMAIN[state.babel_domain][state.babel_locale]
    except (AttributeError, KeyError, RuntimeError):
        pass
    translations = get_translations()
    state = g.get("_flask_babel") if g else None
    domain = getattr(state, "babel_domain", None)
    locale = getattr(state, "babel_locale", None)
    if domain is not None and locale is not None:
        _BY_DOMAIN.setdefault(domain, {})[locale] = translations
    return translations
