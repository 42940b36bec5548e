"""The signed-in portal: home, own settings, company details, locations, the account's users."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from config.confirm import confirm_page
from config.edge import apply_change, found_or_404, redirect_after, save_form, submit_form
from config.extensions import db
from config.formatting import weekday_names
from config.forms import ConfirmForm
from config.money import format_money
from config.signin import active_session_rows, end_sessions_everywhere
from portal import bp
from portal.access import buyer_required, may
from portal.forms import ChangePasswordForm, ProfileForm, UserForm
from tenants.customers import contacts, locations, portal_auth
from tenants.customers import services as customers
from tenants.customers.forms import CompanyForm, LocationForm
from tenants.customers.models import ACCESS_LEVELS, PAYMENT_TERMS, WEEKDAYS
from tenants.customers.permissions import GRANTABLE, OWNER_ONLY, effective_permissions, granted

# The layout the shared confirm step (config.confirm) is shown in on portal pages.
BASE = "portal/base.html"


@bp.get("/")
@buyer_required()
def home():
    """The account at a glance: company, ordering settings, own rights, visible locations."""
    customer = g.customer
    return render_template(
        "portal/home.html",
        locations=locations.list_locations(db.session, customer, viewer=g.contact),
        perms=effective_permissions(g.contact, customer),
        labels={**GRANTABLE, **OWNER_ONLY},
        access_levels=ACCESS_LEVELS,
        payment_terms=PAYMENT_TERMS,
        weekdays=WEEKDAYS,
        weekday_names=weekday_names(g.tenant),
        minimum=format_money(customer.minimum_order_minor, g.tenant),
    )


@bp.route("/account", methods=["GET", "POST"])
@buyer_required()
def account():
    """The contact's own name and phone, a password form, and where they're signed in."""
    form = ProfileForm(obj=g.contact)
    return save_form(
        form,
        lambda: portal_auth.update_own_profile(
            db.session,
            g.tenant,
            contact=g.contact,
            first_name=form.first_name.data,
            last_name=form.last_name.data or "",
            phone=form.phone.data or "",
        ),
        url_for("portal.account"),
        "portal/account.html",
        message=_("Saved."),
        password_form=ChangePasswordForm(),
        # Staff viewing as the contact don't see where the contact signs in from.
        sessions=None if g.viewing_as else active_session_rows(g.contact, tenant=g.tenant),
    )


@bp.post("/account/sessions/end-all")
@buyer_required()
def sessions_end_all():
    """Sign out of the portal on every device, this one included."""
    ConfirmForm().validate_on_submit() or abort(400)
    end_sessions_everywhere(g.contact)
    flash(_("You're signed out everywhere."))
    return redirect(url_for("portal.login"))


@bp.route("/account/company", methods=["GET", "POST"])
@buyer_required("edit_account")
def company():
    """Company details, for contacts with the right to edit the account."""
    form = CompanyForm(obj=g.customer)
    return save_form(
        form,
        lambda: customers.update_company_details(
            db.session,
            g.tenant,
            actor=g.contact,
            customer=g.customer,
            trading_name=form.trading_name.data or "",
            tax_number=form.tax_number.data or "",
            billing_email=form.billing_email.data or "",
            phone=form.phone.data or "",
        ),
        url_for("portal.home"),
        "portal/company.html",
        message=_("Saved."),
    )


@bp.route("/account/locations/new", methods=["GET", "POST"])
@bp.route("/account/locations/<location_id>", methods=["GET", "POST"])
@buyer_required()
def location(location_id=None):
    """A delivery location: readable if visible to the contact, editable with the right."""
    found = (
        found_or_404(locations.get_location, g.customer, location_id, viewer=g.contact)
        if location_id
        else None
    )
    editable = may("edit_account")
    if (found is None or request.method == "POST") and not editable:
        abort(403)
    form = LocationForm(obj=found)
    return save_form(
        form,
        lambda: locations.save_location(
            db.session,
            g.tenant,
            actor=g.contact,
            customer=g.customer,
            location=found,
            name=form.name.data,
            address=form.address.data or "",
            delivery_instructions=form.delivery_instructions.data or "",
        ),
        url_for("portal.home"),
        "portal/location.html",
        message=_("Saved."),
        location=found,
        editable=editable,
    )


@bp.route("/account/locations/<location_id>/remove", methods=["GET", "POST"])
@buyer_required("edit_account")
def location_remove(location_id):
    """Delete a delivery location (not the last one, nor one assigned to colleagues), from the
    confirm step."""
    found = found_or_404(locations.get_location, g.customer, location_id, viewer=g.contact)
    if request.method == "GET":
        assigned = locations.assigned_contacts(db.session, g.customer, found)
        details = [
            _(
                "%(bakery_name)s will no longer deliver to %(name)s.",
                bakery_name=g.tenant.name,
                name=found.name,
            )
        ]
        if assigned:
            names = ", ".join(c.name for c in assigned)
            details.append(
                _("%(names)s: assigned to it; give them another location first.", names=names)
            )
        return confirm_page(
            BASE,
            question=_("Remove %(name)s?", name=found.name),
            details=details,
            button=_("Remove location"),
            cancel_url=url_for("portal.location", location_id=found.id),
            danger=True,
        )
    ConfirmForm().validate_on_submit() or abort(400)
    return apply_change(
        lambda: locations.remove_location(
            db.session, g.tenant, actor=g.contact, customer=g.customer, location=found
        ),
        _("Delivery location %(name)s removed.", name=found.name),
        url_for("portal.home"),
        refused_target=url_for("portal.location", location_id=found.id),
    )


@bp.route("/account/users", methods=["GET", "POST"])
@buyer_required("manage_users")
def users():
    """The owner's list of the account's users, with the form to invite a colleague."""
    form = _user_form()

    def invite():
        added = contacts.save_contact(
            db.session, g.tenant, actor=g.contact, customer=g.customer, **form.values()
        )
        if added is not None:
            contacts.invite_contact(
                db.session, g.tenant, actor=g.contact, customer=g.customer, contact=added
            )
        return added

    response, status = submit_form(
        form,
        invite,
        redirect_after(
            lambda added: _added_message(added, form.email.data), url_for("portal.users")
        ),
    )
    if response is not None:
        return response
    people = contacts.list_contacts(db.session, g.customer)
    return render_template(
        "portal/users.html",
        form=form,
        grantable=GRANTABLE,
        access_levels=ACCESS_LEVELS,
        people=[(p, contacts.contact_state(p), granted(p)) for p in people],
    ), status


def _added_message(added, email: str) -> str:
    # None: the address is another customer's contact's, which the portal must not reveal.
    if added is None:
        return _(
            "We've asked %(bakery_name)s to add %(email)s; they'll be in touch about it.",
            bakery_name=g.tenant.name,
            email=email,
        )
    return _("Invitation sent to %(email)s.", email=email)


def _user_form(contact=None) -> UserForm:
    form = UserForm(obj=contact)
    form.set_locations(locations.list_locations(db.session, g.customer))
    if contact is not None and request.method == "GET":
        form.location_id.data = str(contact.location_id) if contact.location_id else ""
        form.grants.data = sorted(granted(contact) & set(GRANTABLE))
    return form


@bp.route("/account/users/<contact_id>", methods=["GET", "POST"])
@buyer_required("manage_users")
def user(contact_id):
    """An owner changes a colleague's access level and permissions."""
    colleague = found_or_404(contacts.get_contact, g.customer, contact_id)
    form = _user_form(colleague)
    return save_form(
        form,
        lambda: contacts.save_contact(
            db.session,
            g.tenant,
            actor=g.contact,
            customer=g.customer,
            contact=colleague,
            is_owner=colleague.is_owner,
            is_billing=colleague.is_billing,
            **form.values(),
        ),
        url_for("portal.users"),
        "portal/user.html",
        message=lambda saved: (
            _("Saved.") if saved is not None else _added_message(None, form.email.data)
        ),
        colleague=colleague,
    )


def _user_action(contact_id, service, message: str, **kwargs):
    colleague = found_or_404(contacts.get_contact, g.customer, contact_id)
    ConfirmForm().validate_on_submit() or abort(400)
    return apply_change(
        lambda: service(
            db.session, g.tenant, actor=g.contact, customer=g.customer, contact=colleague, **kwargs
        ),
        message.format(name=colleague.name, email=colleague.email),
        url_for("portal.users"),
    )


@bp.post("/account/users/<contact_id>/resend")
@buyer_required("manage_users")
def user_resend(contact_id):
    """Send a colleague a new invitation; the old link stops working."""
    return _user_action(
        contact_id,
        contacts.invite_contact,
        _("A new invitation went to {email}; the old link no longer works."),
    )


@bp.post("/account/users/<contact_id>/revoke")
@buyer_required("manage_users")
def user_revoke(contact_id):
    """Make a colleague's pending invitation stop working."""
    return _user_action(
        contact_id, contacts.revoke_invitation, _("The invitation of {name} no longer works.")
    )


@bp.route("/account/users/<contact_id>/remove", methods=["GET", "POST"])
@buyer_required("manage_users")
def user_remove(contact_id):
    """Remove a colleague from the account, from the confirm step."""
    if request.method == "GET":
        colleague = found_or_404(contacts.get_contact, g.customer, contact_id)
        return confirm_page(
            BASE,
            question=_("Remove %(name)s?", name=colleague.name),
            details=[
                _(
                    "%(name)s (%(email)s) can no longer sign in to %(customer)s's account. "
                    "This cannot be undone; you can invite them again later.",
                    name=colleague.name,
                    email=colleague.email,
                    customer=g.customer.display_name,
                )
            ],
            button=_("Remove %(name)s", name=colleague.name),
            cancel_url=url_for("portal.users"),
            danger=True,
        )
    return _user_action(contact_id, contacts.remove_contact, "{name} is removed.")
