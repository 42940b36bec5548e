"""/dev/mail: the demo's captured outbox, so a newcomer can click invitation and reset links.

Registered only when DEMO_MODE is on and the app is not in production.
"""

from flask import Blueprint, abort, current_app, render_template

bp = Blueprint("devmail", __name__, url_prefix="/dev/mail", template_folder="templates")


def _messages():
    transport = current_app.extensions["mail_transport"]
    return transport.messages() if hasattr(transport, "messages") else []


@bp.get("/")
def inbox():
    return render_template("public/devmail.html", messages=_messages())


@bp.get("/<outbox_id>")
def show(outbox_id: str):
    for message in _messages():
        if message["X-Outbox-Id"] == outbox_id:
            html = message.get_body(("html",))
            text = message.get_body(("plain",))
            return render_template(
                "public/devmail_message.html",
                message=message,
                html=html.get_content() if html else "",
                text=text.get_content() if text else "",
            )
    abort(404)
