"""Public pages outside any bakery: sign-up, and bakery logos for emails and portals."""

from datetime import timedelta

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from admin.forms import SignUpForm
from config import throttle
from config.extensions import db
from config.forms import attach_error, client_address
from config.signin import start_session
from tenants.errors import ValidationFailed
from tenants.signup import request_owner_verification, sign_up_bakery
from tenants.web import tenant_by_slug

bp = Blueprint("public", __name__, template_folder="templates")

# Sign-ups per client address: enough for a family of bakeries, too few to farm them.
SIGNUPS_PER_ADDRESS = 3
SIGNUP_WINDOW = timedelta(hours=1)


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    form = SignUpForm()
    if form.validate_on_submit():
        address = throttle.address_key("signup", client_address(request))
        if throttle.too_many(db.session, address, limit=SIGNUPS_PER_ADDRESS, window=SIGNUP_WINDOW):
            form.form_errors.append(
                "Too many bakeries were signed up from your network just now. Try again later."
            )
            return render_template("public/signup.html", form=form), 429
        try:
            tenant, owner = sign_up_bakery(
                db.session,
                name=form.name.data,
                slug=form.slug.data.strip(),
                owner_name=form.owner_name.data,
                email=form.email.data,
                password=form.password.data,
                timezone=form.timezone.data,
                currency=form.currency.data,
                locale=form.locale.data,
            )
            request_owner_verification(db.session, tenant, owner)
            throttle.count(db.session, address)
            db.session.commit()
        except ValidationFailed as exc:
            db.session.rollback()
            attach_error(form, exc)
        except IntegrityError:
            # Two sign-ups raced for the same slug; the constraint decided.
            db.session.rollback()
            attach_error(
                form, ValidationFailed("This address is taken. Try another.", field="slug")
            )
        else:
            start_session(owner)
            return redirect(url_for("backoffice.home", slug=tenant.slug))
    return render_template("public/signup.html", form=form), (422 if form.errors else 200)


@bp.get("/")
def index():
    return render_template("public/index.html")


@bp.get("/brand/<slug>/logo")
def logo(slug: str):
    tenant = tenant_by_slug(slug)
    if tenant is None or not tenant.logo_content_type:
        abort(404)
    return Response(
        tenant.logo,
        mimetype=tenant.logo_content_type,
        headers={"Cache-Control": "public, max-age=300"},
    )
