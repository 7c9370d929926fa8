"""A ticket's page with its QR code: /tickets/<code>.

Whoever holds the link may see the ticket (it is the ticket), so the page shows
no e-mail address or phone number, asks search engines not to index it and
sends no Referer to other sites.
"""

from flask import Blueprint, abort, render_template

from ecosystem.events.models import RegistrationStatus
from ecosystem.events.tickets import find_ticket, is_group_leader, ticket_qr_data_uri

bp = Blueprint("tickets", __name__, url_prefix="/tickets")

STATUS_LABELS_SHOWN_WITH_QR = (RegistrationStatus.CONFIRMED, RegistrationStatus.CHECKED_IN)


@bp.get("/<code>")
def show(code: str):
    registration = find_ticket(code)
    if registration is None:
        abort(404)
    qr = ticket_qr_data_uri(registration) if registration.status in STATUS_LABELS_SHOWN_WITH_QR else None
    html = render_template(
        "events/tickets/show.html", registration=registration, event=registration.event, qr=qr,
        group_leader=is_group_leader(registration),
    )
    return html, 200, {
        "X-Robots-Tag": "noindex, nofollow",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "private, no-store",
    }
