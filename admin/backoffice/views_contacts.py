"""Contacts of a customer in the back office: add, edit, invite, temporary password (only for
contacts who never chose one), reset link, view as."""

from flask import abort, flash, g, redirect, request, session, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_customers import TemporaryPasswordForm
from admin.backoffice.views_customers import BASE, contact_form_for
from config.confirm import confirm_page, flash_with_undo
from config.edge import apply_change, found_or_404, save_form
from config.extensions import db
from config.forms import ConfirmForm
from tenants.customers import contacts
from tenants.customers import services as customers
from tenants.customers.permissions import role_defaults
from tenants.customers.view_as import VIEW_AS_KEY, view_as_choice
from tenants.errors import DomainError
from tenants.plans import has_feature


def _detail(customer):
    return url_for("backoffice.customer_detail", customer_id=customer.id)


def _found(customer_id, contact_id):
    """The customer and one of its contacts, or a 404."""
    customer = found_or_404(customers.get_customer, customer_id)
    return customer, found_or_404(contacts.get_contact, customer, contact_id)


def _confirmed_change(customer_id, contact_id, service, message, **kwargs):
    """A one-click change to a contact, reported on the customer's page.

    `message(contact)` is worded from the contact as it was before the change.
    """
    customer, contact = _found(customer_id, contact_id)
    ConfirmForm().validate_on_submit() or abort(400)
    return apply_change(
        lambda: service(
            db.session, g.tenant, actor=current_user, customer=customer, contact=contact, **kwargs
        ),
        message(contact),
        _detail(customer),
    )


@bp.route("/customers/<customer_id>/contacts/new", methods=["GET", "POST"])
@bp.route("/customers/<customer_id>/contacts/<contact_id>", methods=["GET", "POST"])
@staff_required("customers")
def contact_form(customer_id, contact_id=None):
    """Add or change a contact, their role, access level and permissions."""
    customer = found_or_404(customers.get_customer, customer_id)
    contact = found_or_404(contacts.get_contact, customer, contact_id) if contact_id else None
    form = contact_form_for(customer, contact)
    may_invite = has_feature(g.tenant, "wholesale_portal") and customer.portal_enabled
    invite = may_invite and request.form.get("and_invite") == "1"

    def save():
        saved = contacts.save_contact(
            db.session,
            g.tenant,
            actor=current_user,
            customer=customer,
            contact=contact,
            **form.values(new=contact is None),
        )
        # "Save and send invitation": one commit for both, so a refused invitation (say, an
        # active contact) leaves the contact unsaved too, with the reason on the form.
        if invite:
            contacts.invite_contact(
                db.session, g.tenant, actor=current_user, customer=customer, contact=saved
            )
        return saved

    def said(saved) -> str:
        done = "added" if contact is None else "saved"
        if invite:
            return f"{saved.name} {done}; an invitation to the portal went to {saved.email}."
        return f"{saved.name} {done}."

    return save_form(
        form,
        save,
        _detail(customer) + "#contacts",
        "backoffice/customers/contact_form.html",
        message=said,
        customer=customer,
        contact=contact,
        may_invite=may_invite and (contact is None or contact.status in ("not_invited", "invited")),
        role_defaults={
            "buyer": sorted(role_defaults(is_billing=False)),
            "billing": sorted(role_defaults(is_billing=True)),
        },
    )


@bp.post("/customers/<customer_id>/contacts/<contact_id>/invite")
@staff_required("customers")
def contact_invite(customer_id, contact_id):
    """Send (or resend) the contact's portal invitation."""
    return _confirmed_change(
        customer_id,
        contact_id,
        contacts.invite_contact,
        lambda contact: (
            f"A new invitation went to {contact.email}; the old link no longer works."
            if contact.status == "invited"
            else f"Invitation sent to {contact.email}."
        ),
    )


@bp.post("/customers/<customer_id>/contacts/<contact_id>/revoke")
@staff_required("customers")
def contact_revoke(customer_id, contact_id):
    """Make the pending invitation stop working."""
    return _confirmed_change(
        customer_id,
        contact_id,
        contacts.revoke_invitation,
        lambda contact: f"The invitation of {contact.name} no longer works.",
    )


@bp.post("/customers/<customer_id>/contacts/<contact_id>/password")
@staff_required("customers")
def contact_password(customer_id, contact_id):
    """Give the contact a temporary password to change at first sign-in."""
    customer, contact = _found(customer_id, contact_id)
    form = TemporaryPasswordForm()
    if not form.validate_on_submit():
        flash("Enter a temporary password.", "error")
        return redirect(_detail(customer))
    return apply_change(
        lambda: contacts.set_temporary_password(
            db.session,
            g.tenant,
            actor=current_user,
            customer=customer,
            contact=contact,
            password=form.password.data,
        ),
        f"{contact.name} can sign in with the temporary password and must change it then.",
        _detail(customer),
    )


@bp.post("/customers/<customer_id>/contacts/<contact_id>/reset-link")
@staff_required("customers")
def contact_reset_link(customer_id, contact_id):
    """Email an active contact a password reset link, to their own address."""
    return _confirmed_change(
        customer_id,
        contact_id,
        contacts.send_reset_link,
        lambda contact: f"A password reset link went to {contact.email}.",
    )


@bp.post("/customers/<customer_id>/contacts/<contact_id>/disable")
@staff_required("customers")
def contact_disable(customer_id, contact_id):
    """Disable the contact; they are signed out at their next request. Re-enabling is cheap,
    so there is no confirm step: the message offers the undo instead."""
    customer, contact = _found(customer_id, contact_id)
    ConfirmForm().validate_on_submit() or abort(400)
    try:
        contacts.set_contact_disabled(
            db.session,
            g.tenant,
            actor=current_user,
            customer=customer,
            contact=contact,
            disabled=True,
        )
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(_detail(customer))
    flash_with_undo(
        f"{contact.name} is disabled and signed out.",
        url_for("backoffice.contact_enable", customer_id=customer.id, contact_id=contact.id),
        f"Enable {contact.first_name} again",
    )
    return redirect(_detail(customer) + "#contacts")


@bp.post("/customers/<customer_id>/contacts/<contact_id>/enable")
@staff_required("customers")
def contact_enable(customer_id, contact_id):
    """Enable a disabled contact again."""
    return _toggle(customer_id, contact_id, disabled=False)


def _toggle(customer_id, contact_id, *, disabled: bool):
    return _confirmed_change(
        customer_id,
        contact_id,
        contacts.set_contact_disabled,
        lambda contact: f"{contact.name} is " + ("disabled." if disabled else "enabled."),
        disabled=disabled,
    )


@bp.route("/customers/<customer_id>/contacts/<contact_id>/remove", methods=["GET", "POST"])
@staff_required("customers")
def contact_remove(customer_id, contact_id):
    """Delete the contact, from the confirm step."""
    if request.method == "GET":
        customer, contact = _found(customer_id, contact_id)
        return confirm_page(
            BASE,
            question=f"Remove {contact.name} from {customer.display_name}?",
            details=[
                f"{contact.name} ({contact.email}) loses portal access for good; their past "
                "activity stays in the log. To only stop them signing in, disable them instead."
            ],
            button="Remove contact",
            cancel_url=_detail(customer) + "#contacts",
            danger=True,
        )
    return _confirmed_change(
        customer_id,
        contact_id,
        contacts.remove_contact,
        lambda contact: f"{contact.name} is removed.",
    )


@bp.post("/customers/<customer_id>/contacts/<contact_id>/view-as")
@staff_required("customers_view")
def contact_view_as(customer_id, contact_id):
    """Open the portal as this contact sees it: read-only, bannered, in the activity log."""
    customer, contact = _found(customer_id, contact_id)
    ConfirmForm().validate_on_submit() or abort(400)
    if not has_feature(g.tenant, "wholesale_portal"):
        abort(403)
    contacts.record_view_as(
        db.session, g.tenant, actor=current_user, customer=customer, contact=contact
    )
    db.session.commit()
    session[VIEW_AS_KEY] = view_as_choice(g.tenant, customer, contact)
    return redirect(url_for("portal.home"))
