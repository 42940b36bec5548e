"""Customer accounts in the back office: list, create, edit, portal, suspension, locations."""

from flask import abort, g, render_template, request, url_for
from flask_login import current_user

from admin.backoffice import bp
from admin.backoffice.access import staff_required
from admin.backoffice.forms_customers import (
    ContactForm,
    CustomerForm,
    SuspendCustomerForm,
    TemporaryPasswordForm,
)
from admin.backoffice.views_followup import customer_followup
from admin.backoffice.views_receivables import customer_balance_card
from admin.forms import SearchForm
from config.confirm import confirm_page
from config.edge import apply_change, found_or_404, save_form
from config.extensions import db
from config.formatting import minor_to_decimal
from config.forms import ConfirmForm
from config.money import format_money
from tenants.catalog.price_lists import default_price_list
from tenants.customers import locations as locs
from tenants.customers import services as customers
from tenants.customers.activity import list_activity
from tenants.customers.contacts import contact_state, list_contacts
from tenants.customers.forms import LocationForm
from tenants.customers.models import ACCESS_LEVELS, PAYMENT_TERMS, WEEKDAYS
from tenants.customers.permissions import GRANTABLE, granted
from tenants.plans import effective_plan, has_feature

# The layout the shared confirm step (config.confirm) is shown in on back-office pages.
BASE = "backoffice/base.html"


@bp.get("/customers")
@staff_required("customers_view")
def customer_list():
    """Every customer with its counts, in a constant number of queries."""
    search = SearchForm(request.args)
    rows = customers.customer_overview(db.session, search=search.q.data or "")
    return render_template(
        "backoffice/customers/list.html",
        rows=rows,
        search=search,
        portal_available=has_feature(g.tenant, "wholesale_portal"),
    )


@bp.route("/customers/new", methods=["GET", "POST"])
@staff_required("customers")
def customer_new():
    """Add a customer."""
    form = CustomerForm()

    return save_form(
        form,
        lambda: customers.create_customer(
            db.session, g.tenant, actor=current_user, **form.values(g.tenant.currency)
        ),
        lambda customer: url_for("backoffice.customer_detail", customer_id=customer.id),
        "backoffice/customers/form.html",
        message=lambda customer: f"{customer.business_name} is added.",
        customer=None,
    )


@bp.get("/customers/<customer_id>")
@staff_required("customers_view")
def customer_detail(customer_id):
    """A customer's details, portal access, locations, contacts and activity."""
    customer = found_or_404(customers.get_customer, customer_id)
    contacts = list_contacts(db.session, customer)
    locations = locs.list_locations(db.session, customer)
    return render_template(
        "backoffice/customers/detail.html",
        customer=customer,
        contacts=[(c, contact_state(c), granted(c)) for c in contacts],
        locations=locations,
        location_names={loc.id: loc.name for loc in locations},
        activity=list_activity(db.session, customer),
        default_list=default_price_list(db.session),
        portal_available=has_feature(g.tenant, "wholesale_portal"),
        plan_name=effective_plan(g.tenant).name,
        payment_terms=PAYMENT_TERMS,
        weekdays=WEEKDAYS,
        access_levels=ACCESS_LEVELS,
        grantable=GRANTABLE,
        minimum=format_money(customer.minimum_order_minor, g.tenant),
        password_form=TemporaryPasswordForm(),
        **customer_followup(db.session, g.tenant, customer),
        balance_card=customer_balance_card(customer),
    )


@bp.route("/customers/<customer_id>/edit", methods=["GET", "POST"])
@staff_required("customers")
def customer_edit(customer_id):
    """Change a customer's details and ordering settings."""
    customer = found_or_404(customers.get_customer, customer_id)
    form = CustomerForm(obj=customer)
    if request.method == "GET":
        form.minimum_order.data = minor_to_decimal(customer.minimum_order_minor, g.tenant.currency)
        form.delivery_weekdays.data = [str(d) for d in customer.delivery_weekdays or []]
    target = url_for("backoffice.customer_detail", customer_id=customer.id)
    return save_form(
        form,
        lambda: customers.update_customer(
            db.session,
            g.tenant,
            actor=current_user,
            customer=customer,
            **form.values(g.tenant.currency),
        ),
        target,
        "backoffice/customers/form.html",
        customer=customer,
    )


@bp.route("/customers/<customer_id>/portal", methods=["GET", "POST"])
@staff_required("customers")
def customer_portal(customer_id):
    """Switch the wholesale portal on or off for the customer; switching off is confirmed."""
    customer = found_or_404(customers.get_customer, customer_id)
    detail = url_for("backoffice.customer_detail", customer_id=customer.id)
    if request.method == "GET":
        return confirm_page(
            BASE,
            question=f"Switch off the wholesale portal for {customer.display_name}?",
            details=[
                "Its contacts can no longer sign in; anyone signed in is signed out at their "
                "next click. Nothing is deleted, and you can switch it on again at any time."
            ],
            button="Switch off the portal",
            cancel_url=detail + "#portal",
            hidden={"enabled": "0"},
        )
    ConfirmForm().validate_on_submit() or abort(400)
    enable = request.form.get("enabled") == "1"
    return apply_change(
        lambda: customers.set_portal_enabled(
            db.session, g.tenant, actor=current_user, customer=customer, enabled=enable
        ),
        "The wholesale portal is " + ("on" if enable else "off") + f" for {customer.display_name}.",
        url_for("backoffice.customer_detail", customer_id=customer.id),
    )


@bp.route("/customers/<customer_id>/suspend", methods=["GET", "POST"])
@staff_required("customers")
def customer_suspend(customer_id):
    """Suspend the account with a reason its contacts will see, from the confirm step."""
    customer = found_or_404(customers.get_customer, customer_id)
    form = SuspendCustomerForm()
    target = url_for("backoffice.customer_detail", customer_id=customer.id)
    if request.method == "GET" or not form.validate_on_submit():
        return confirm_page(
            BASE,
            question=f"Suspend {customer.display_name}?",
            details=[
                "Its contacts can still sign in and read, but cannot order or change anything "
                "until you reactivate the account. Nothing is deleted."
            ],
            button="Suspend account",
            cancel_url=target + "#suspension",
            form=form,
            fields=[form.reason],
            status=200 if request.method == "GET" else 422,
        )
    return apply_change(
        lambda: customers.suspend_customer(
            db.session, g.tenant, actor=current_user, customer=customer, reason=form.reason.data
        ),
        f"{customer.display_name} is suspended.",
        target,
    )


@bp.post("/customers/<customer_id>/reactivate")
@staff_required("customers")
def customer_reactivate(customer_id):
    """Lift a suspension."""
    customer = found_or_404(customers.get_customer, customer_id)
    ConfirmForm().validate_on_submit() or abort(400)
    return apply_change(
        lambda: customers.reactivate_customer(
            db.session, g.tenant, actor=current_user, customer=customer
        ),
        f"{customer.display_name} is active again.",
        url_for("backoffice.customer_detail", customer_id=customer.id),
    )


@bp.route("/customers/<customer_id>/locations/new", methods=["GET", "POST"])
@bp.route("/customers/<customer_id>/locations/<location_id>", methods=["GET", "POST"])
@staff_required("customers")
def location_form(customer_id, location_id=None):
    """Add or change a delivery location."""
    customer = found_or_404(customers.get_customer, customer_id)
    location = found_or_404(locs.get_location, customer, location_id) if location_id else None
    form = LocationForm(obj=location)
    return save_form(
        form,
        lambda: locs.save_location(
            db.session,
            g.tenant,
            actor=current_user,
            customer=customer,
            location=location,
            name=form.name.data,
            address=form.address.data or "",
            delivery_instructions=form.delivery_instructions.data or "",
        ),
        url_for("backoffice.customer_detail", customer_id=customer.id) + "#locations",
        "backoffice/customers/location_form.html",
        message=lambda saved: (
            f"Location {saved.name} " + ("added." if location is None else "saved.")
        ),
        customer=customer,
        location=location,
    )


@bp.route("/customers/<customer_id>/locations/<location_id>/remove", methods=["GET", "POST"])
@staff_required("customers")
def location_remove(customer_id, location_id):
    """Remove a delivery location, once the confirm step said who is assigned to it."""
    customer = found_or_404(customers.get_customer, customer_id)
    location = found_or_404(locs.get_location, customer, location_id)
    if request.method == "GET":
        return confirm_page(
            BASE,
            question=f"Remove {location.name}?",
            details=locs.removal_consequences(db.session, customer, location),
            button="Remove location",
            cancel_url=url_for("backoffice.customer_detail", customer_id=customer.id)
            + "#locations",
            danger=True,
        )
    ConfirmForm().validate_on_submit() or abort(400)
    return apply_change(
        lambda: locs.remove_location(
            db.session, g.tenant, actor=current_user, customer=customer, location=location
        ),
        f"{location.name} is removed.",
        url_for("backoffice.customer_detail", customer_id=customer.id),
    )


def contact_form_for(customer, contact=None) -> ContactForm:
    """The contact form with this customer's locations to choose from."""
    form = ContactForm(obj=contact)
    form.set_locations(locs.list_locations(db.session, customer))
    if contact is not None and request.method == "GET":
        form.location_id.data = str(contact.location_id) if contact.location_id else ""
        form.grants.data = sorted(granted(contact) & set(GRANTABLE))
    return form


from admin.backoffice import views_contacts, views_customers_io  # noqa: E402,F401
