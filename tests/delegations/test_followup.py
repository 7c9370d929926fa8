"""After the decisions: logistics and the settlement report, results after the event, offer confirmation."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import select

from ecosystem.delegations import decisions, outcomes
from ecosystem.delegations.logistics import SETTLEMENT_HEADERS
from ecosystem.delegations.models import Application, ApplicationStatus, CallStatus, DelegationCall
from ecosystem.extensions import db
from ecosystem.timeutil import utcnow
from tests.delegations.review_support import (
    coordinator,
    english,
    make_call,
    make_offer,
    seed_delegation,
)
from tests.factories.users import DEFAULT_PASSWORD, UserRef, make_user


def login(auth, forms, user) -> None:
    auth.login(user.email, user.password)
    english(forms)


def owner_of(app, application_id: int) -> UserRef:
    with app.app_context():
        (owner,) = decisions.applicant_contacts(db.session.get(Application, application_id))
        return UserRef(owner.id, owner.email, DEFAULT_PASSWORD)


def application_named(app, product: str) -> Application:
    with app.app_context():
        return db.session.scalar(select(Application).where(Application.product_name == product))


def event_has_begun(app, call_id: int, status: str | None = None) -> None:
    with app.app_context():
        call = db.session.get(DelegationCall, call_id)
        call.event_starts_on, call.event_ends_on = utcnow() - timedelta(days=3), utcnow() - timedelta(days=1)
        if status:
            call.status = status
        db.session.commit()


# --- Logistics and the settlement report --------------------------------------------------------


def test_settlement_report_totals_costs_per_allocation_and_for_the_delegation(app, client, forms, auth):
    call = seed_delegation(app)
    login(auth, forms, coordinator(app))
    response = client.get(f"/techfest/{call.slug}/logistics")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    # Accepted only: open pool 1.500.000 + 2.000.000, university 500.000 (the reserve and others are not costed).
    assert "Subtotal: Nhóm mở" in html and "₫3,500,000" in html
    assert "Subtotal: Đại học Thái Nguyên" in html and "₫500,000" in html
    assert "<strong>₫4,000,000</strong>" in html  # delegation total
    assert "Không đi" not in html

    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"/techfest/{call.slug}/settlement.xlsx").data))
    rows = list(workbook["Quyết toán"].iter_rows(values_only=True))
    assert rows[1] == SETTLEMENT_HEADERS
    body = [row for row in rows[2:] if row[1]]
    assert sorted((row[1], row[4], row[5], row[6]) for row in body) == [
        ("Gạo Đại Từ", 500_000, 0, 500_000), ("Trà Tân Cương Xanh", 1_500_000, 2_000_000, 3_500_000)]
    assert rows[-1][0] == "Tổng cộng" and rows[-1][3:7] == (3, 2_000_000, 2_000_000, 4_000_000)


def test_coordinator_enters_logistics_and_bad_costs_get_a_message(app, client, forms, auth):
    call = seed_delegation(app)
    rice = application_named(app, "Gạo hữu cơ")
    login(auth, forms, coordinator(app))
    url = f"/techfest/{call.slug}/logistics/{rice.id}"
    for bad in ("abc", "-5", "99999999999999"):
        response = forms.post(url, {"travel_arrangements": "Xe khách", "travel_cost_vnd": bad,
                                    "lodging_cost_vnd": "0"}, form_page=url)
        assert response.status_code == 422
        assert "Please enter the cost in đồng, 0 if none." in response.get_data(as_text=True)
    assert application_named(app, "Gạo hữu cơ").travel_cost_vnd == 500_000  # unchanged

    response = forms.post(url, {"travel_arrangements": "Xe của Sở, khách sạn 2 đêm",
                                "travel_cost_vnd": "1.200.000", "lodging_cost_vnd": "800000"}, form_page=url)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/techfest/{call.slug}/logistics")
    saved = application_named(app, "Gạo hữu cơ")
    assert (saved.travel_arrangements, saved.travel_cost_vnd, saved.lodging_cost_vnd) == (
        "Xe của Sở, khách sạn 2 đêm", 1_200_000, 800_000)


def test_logistics_only_for_accepted_applications_of_the_call(app, client, forms, auth):
    call = seed_delegation(app)
    other_call = make_call(app)
    login(auth, forms, coordinator(app))
    with app.app_context():
        reserve = db.session.scalar(select(Application).where(Application.status == ApplicationStatus.RESERVE))
    url = f"/techfest/{call.slug}/logistics/{reserve.id}"
    response = forms.post(url, {"travel_cost_vnd": "100", "lodging_cost_vnd": "0"}, form_page=url)
    assert response.status_code == 422
    assert "Logistics are entered for accepted applications only." in response.get_data(as_text=True)
    rice = application_named(app, "Gạo hữu cơ")
    assert client.get(f"/techfest/{other_call.slug}/logistics/{rice.id}").status_code == 404
    assert client.get(f"/techfest/{call.slug}/logistics/999999").status_code == 404


@pytest.mark.parametrize("page", ["logistics", "settlement.xlsx", "outcomes", "logistics/{id}"])
def test_followup_pages_are_for_coordinators_only(app, client, forms, auth, page):
    call = seed_delegation(app)
    rice = application_named(app, "Gạo hữu cơ")
    url = f"/techfest/{call.slug}/" + page.format(id=rice.id)
    assert client.get(url).status_code == 302  # to the login page
    for user in (make_user(app), owner_of(app, rice.id)):
        auth.login(user.email, user.password)
        response = client.get(url)
        assert response.status_code == 403 and "Gạo hữu cơ" not in response.get_data(as_text=True)
        if page == "logistics/{id}":  # a valid form, CSRF token included, is refused too
            posted = forms.post(url, {"travel_cost_vnd": "1", "lodging_cost_vnd": "1"}, form_page="/")
            assert posted.status_code == 403
            assert application_named(app, "Gạo hữu cơ").lodging_cost_vnd == 0
        auth.logout()


# --- Results after the event ----------------------------------------------------------------------


def test_results_open_only_once_the_event_has_begun(app, client, forms, auth):
    call = seed_delegation(app)
    rice = application_named(app, "Gạo hữu cơ")
    login(auth, forms, owner_of(app, rice.id))
    url = f"/techfest/applications/{rice.id}/outcomes"
    response = forms.post(url, {"outcome_contacts": "5"}, form_page=url)
    assert response.status_code == 422
    assert "Results can be reported once the event has begun." in response.get_data(as_text=True)
    assert application_named(app, "Gạo hữu cơ").outcomes_reported_at is None

    event_has_begun(app, call.id)
    response = forms.post(url, {"outcome_contacts": "abc", "outcome_mous": "1"}, form_page=url)
    assert response.status_code == 422 and "Please enter a whole number from 0 to 100000." in response.get_data(
        as_text=True)
    response = forms.post(url, {"outcome_contacts": "30", "outcome_mous": "2", "outcome_investment_offers": "",
                                "outcome_awards": "Giải Nhì vòng pitching"}, form_page=url)
    assert response.status_code == 302
    saved = application_named(app, "Gạo hữu cơ")
    assert (saved.outcome_contacts, saved.outcome_mous, saved.outcome_investment_offers, saved.outcome_awards) == (
        30, 2, None, "Giải Nhì vòng pitching")
    assert saved.outcomes_reported_at is not None
    page = client.get(f"/techfest/applications/{rice.id}").get_data(as_text=True)
    assert "Giải Nhì vòng pitching" in page and "Update the results" in page


def test_results_are_reported_by_the_applicant_only(app, client, forms, auth):
    call = seed_delegation(app)
    event_has_begun(app, call.id)
    rice = application_named(app, "Gạo hữu cơ")
    stranger = make_user(app)
    login(auth, forms, stranger)
    url = f"/techfest/applications/{rice.id}/outcomes"
    assert client.get(url).status_code == 404
    assert forms.post(url, {"outcome_contacts": "9"}, form_page="/").status_code == 404
    assert application_named(app, "Gạo hữu cơ").outcomes_reported_at is None
    with app.app_context():
        reserve = db.session.scalar(select(Application).where(Application.status == ApplicationStatus.RESERVE))
    auth.logout()
    login(auth, forms, owner_of(app, reserve.id))
    reserve_url = f"/techfest/applications/{reserve.id}/outcomes"
    response = forms.post(reserve_url, {"outcome_contacts": "9"}, form_page=f"/techfest/applications/{reserve.id}")
    assert response.status_code == 422
    assert "Results are reported for accepted applications only." in response.get_data(as_text=True)


def test_results_feed_the_call_page_and_the_statistics(app, client, forms, auth):
    call = seed_delegation(app)
    event_has_begun(app, call.id, status=CallStatus.CLOSED)
    rice, tea = application_named(app, "Gạo hữu cơ"), application_named(app, "Trà xanh sấy lạnh")
    with app.app_context():
        for application_id, values in ((rice.id, (10, 1, 0, None)), (tea.id, (25, 2, 1, "Top 10"))):
            application = db.session.get(Application, application_id)
            outcomes.report_outcomes(application, *values, by=decisions.applicant_contacts(application)[0])
        totals = outcomes.outcome_totals([call.id])
        assert totals == outcomes.OutcomeTotals(accepted=2, reported=2, contacts=35, mous=3, investment_offers=1,
                                                awards=1)
        assert outcomes.outcome_totals([make_call(app).id]).reported == 0
    english(forms)
    html = client.get(f"/techfest/{call.slug}").get_data(as_text=True)
    assert "What the delegation brought home" in html and "<strong>35</strong>" in html
    login(auth, forms, coordinator(app))
    html = client.get(f"/techfest/{call.slug}/outcomes").get_data(as_text=True)
    assert "2 of 2 accepted startups and teams have reported." in html and "Top 10" in html


def test_open_calls_do_not_show_results_to_the_public(app, client, forms):
    call = seed_delegation(app)
    english(forms)
    assert "What the delegation brought home" not in client.get(f"/techfest/{call.slug}").get_data(as_text=True)


# --- A reserve confirms the place offered ----------------------------------------------------------


def test_a_reserve_confirms_the_offered_place(app, client, forms, auth):
    application_id, startup = make_offer(app)
    url = f"/techfest/applications/{application_id}"
    stranger = make_user(app)
    login(auth, forms, stranger)
    assert forms.post(f"{url}/confirm-offer", {}, form_page="/").status_code == 404
    auth.logout()
    login(auth, forms, startup.owner)
    assert "Confirm the place" in client.get(url).get_data(as_text=True)
    response = forms.post(f"{url}/confirm-offer", {}, form_page=url, follow_redirects=True)
    assert "The place is yours" in response.get_data(as_text=True)
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert (application.status, application.offer_expires_at) == (ApplicationStatus.ACCEPTED, None)


def test_an_expired_offer_cannot_be_confirmed(app, client, forms, auth):
    application_id, startup = make_offer(app, timedelta(minutes=-1))
    login(auth, forms, startup.owner)
    url = f"/techfest/applications/{application_id}"
    response = forms.post(f"{url}/confirm-offer", {}, form_page=url, follow_redirects=True)
    assert "This offer is no longer open." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Application, application_id).status == ApplicationStatus.OFFERED
