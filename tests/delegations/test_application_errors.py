"""A Techfest application sent back with errors: every message at its field (traveller rows included), the
chosen pitch deck kept for the next try, and a clear choice of who applies."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask_login import current_user
from sqlalchemy import select

from ecosystem.auth.models import User
from ecosystem.delegations import documents
from ecosystem.delegations.models import Application, ApplicationStatus, PendingUpload
from ecosystem.extensions import db
from ecosystem.startups.members import add_member
from ecosystem.startups.models import Startup
from ecosystem.timeutil import utcnow
from tests.delegations.test_applications import PDF, application_form, apply, count, decks, login_as
from tests.factories import add_club_member, make_call, make_club, make_startup, make_team, make_user


def pending_files(app) -> set[Path]:
    """The kept decks on disk (the upload folder is shared by the session's tests: compare before and after)."""
    folder = Path(app.config["UPLOAD_DIR"]) / documents.PENDING_FOLDER
    return set(folder.iterdir()) if folder.exists() else set()


def token_in(html: str) -> str:
    match = re.search(r'name="deck_token"[^>]*value="([^"]*)"', html) or re.search(
        r'value="([^"]*)"[^>]*name="deck_token"', html)
    return match.group(1) if match else ""


def error_of(html: str, field_id: str) -> str:
    match = re.search(rf'<p class="error" id="{re.escape(field_id)}-error">([^<]*)</p>', html)
    return match.group(1) if match else ""


@pytest.mark.parametrize("phone, message", [
    ("gọi tôi", "This is not a valid Vietnamese phone number."),
    ("", "This is not a valid Vietnamese phone number."),
])
def test_a_bad_or_missing_traveller_phone_is_marked_at_its_field_and_the_deck_is_kept(app, client, forms, auth,
                                                                                     phone, message):
    call = make_call(app)
    startup = make_startup(app)
    login_as(auth, forms, startup.owner)
    before, kept_before = len(decks(app)), pending_files(app)
    response = apply(forms, call, application_form(startup.owner, **{"travellers-0-phone": phone}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_of(html, "travellers-0-phone") == message
    assert 'id="travellers-0-phone" aria-invalid="true"' in html or (
        'aria-invalid="true"' in html and 'aria-describedby="travellers-0-phone-error"' in html)
    # The deck is kept (checked, bound to this user), not stored as an application's deck.
    assert "deck.pdf kept" in html
    token = token_in(html)
    assert len(token) >= 32
    assert count(app, Application) == 0 and len(decks(app)) == before
    with app.app_context():
        pending = db.session.scalar(select(PendingUpload).where(PendingUpload.token == token))
        assert pending.user_id == startup.owner.id and pending.original_name == "deck.pdf"
        assert documents.pending_path(pending).read_bytes() == PDF

    # Corrected and sent again without choosing the file again: submitted with the kept deck.
    response = apply(forms, call, application_form(startup.owner, deck=None, deck_token=token))
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        application = db.session.scalar(select(Application))
        assert application.status == ApplicationStatus.SUBMITTED and application.pitch_deck
        assert db.session.scalar(select(PendingUpload)) is None
    assert client.get(f"/techfest/applications/{application.id}/deck.pdf").data == PDF
    assert pending_files(app) == kept_before and len(decks(app)) == before + 1


def test_errors_in_several_rows_are_all_marked_at_once(app, client, forms, auth):
    call = make_call(app)
    startup = make_startup(app)
    member = make_user(app)
    with app.app_context():
        add_member(db.session.get(Startup, startup.id), db.session.get(User, member.id))
        db.session.commit()
    login_as(auth, forms, startup.owner)
    response = apply(forms, call, application_form(startup.owner, **{
        "product_name": "",
        "travellers-0-phone": "abc",
        "travellers-1-user_id": str(member.id), "travellers-1-legal_name": "", "travellers-1-phone": "0912345678",
    }))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_of(html, "product_name")
    assert error_of(html, "travellers-0-phone") == "This is not a valid Vietnamese phone number."
    assert error_of(html, "travellers-1-legal_name") == "Please enter the name as on the ID card or passport."
    assert not error_of(html, "travellers-1-phone")
    assert count(app, Application) == 0


def test_a_service_refusal_lands_on_its_rows_field(app, client, forms, auth):
    """A rule only the service checks (here: a row ticked twice for the same member) is still shown at its field,
    not only as "please correct the marked fields"."""
    call = make_call(app)
    startup = make_startup(app)
    login_as(auth, forms, startup.owner)
    response = apply(forms, call, application_form(startup.owner, **{
        "travellers-1-user_id": str(startup.owner.id), "travellers-1-legal_name": "NGUYỄN VĂN TEST",
        "travellers-1-phone": "0912345678"}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_of(html, "travellers-1-user_id") == "Traveller 2 is listed twice."
    assert "deck.pdf kept" in html


def test_a_missing_traveller_is_said_at_the_travellers_section(app, client, forms, auth):
    call = make_call(app)
    startup = make_startup(app)
    login_as(auth, forms, startup.owner)
    response = apply(forms, call, application_form(startup.owner, **{"travellers-0-user_id": ""}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    section = html.split('id="travellers"', 1)[1]
    assert '<p class="error" role="alert">Please name at least one member who travels.</p>' in section


def test_a_kept_deck_is_only_its_owners(app, client, forms, auth):
    call = make_call(app)
    first, second = make_startup(app), make_startup(app)
    login_as(auth, forms, first.owner)
    html = apply(forms, call, application_form(first.owner, **{"travellers-0-phone": "x"})).get_data(as_text=True)
    token = token_in(html)
    auth.logout()
    login_as(auth, forms, second.owner)
    response = apply(forms, call, application_form(second.owner, deck=None, deck_token=token))
    # The other founder's token is ignored: no deck, so submitting asks for one.
    assert response.status_code == 422
    assert "Please attach the pitch deck (PDF)." in response.get_data(as_text=True)
    assert "kept" not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(PendingUpload.user_id)) == first.owner.id


def test_a_new_file_replaces_the_kept_one_and_a_bad_file_is_not_kept(app, client, forms, auth):
    call = make_call(app)
    startup = make_startup(app)
    login_as(auth, forms, startup.owner)
    kept_before = pending_files(app)
    html = apply(forms, call, application_form(startup.owner, **{"travellers-0-phone": "x"})).get_data(as_text=True)
    first_token = token_in(html)
    second_pdf = PDF.replace(b"/Count 0", b"/Count 00")
    html = apply(forms, call, application_form(startup.owner, deck=second_pdf, deck_name="ban-moi.pdf",
                                               deck_token=first_token, **{"travellers-0-phone": "x"})
                 ).get_data(as_text=True)
    second_token = token_in(html)
    assert second_token != first_token and "ban-moi.pdf kept" in html
    assert [path.read_bytes() for path in pending_files(app) - kept_before] == [second_pdf]

    response = apply(forms, call, application_form(startup.owner, deck=b"GIF89a", deck_token=second_token,
                                                   **{"travellers-0-phone": "x"}))
    html = response.get_data(as_text=True)
    assert error_of(html, "pitch_deck") == "The pitch deck must be a PDF file."
    # The bad file is refused; the deck kept before stays kept.
    assert token_in(html) == second_token and len(pending_files(app) - kept_before) == 1


def test_a_user_holds_only_a_few_kept_decks(app, client, forms, auth):
    """Failed submits without the token (or from several tabs) never pile up more than PENDING_PER_USER files."""
    call = make_call(app)
    startup = make_startup(app)
    login_as(auth, forms, startup.owner)
    kept_before = pending_files(app)
    tokens = [token_in(apply(forms, call, application_form(startup.owner, **{"travellers-0-phone": "x"}))
                       .get_data(as_text=True)) for _ in range(documents.PENDING_PER_USER + 2)]
    assert len(pending_files(app) - kept_before) == documents.PENDING_PER_USER
    with app.app_context():
        kept = set(db.session.scalars(select(PendingUpload.token)))
    assert kept == set(tokens[-documents.PENDING_PER_USER:])


def test_abandoned_kept_decks_are_purged_after_a_day(app, client, forms, auth):
    call = make_call(app)
    startup = make_startup(app)
    login_as(auth, forms, startup.owner)
    kept_before = pending_files(app)
    apply(forms, call, application_form(startup.owner, **{"travellers-0-phone": "x"}))
    assert len(pending_files(app) - kept_before) == 1
    with app.app_context():
        assert documents.purge_pending_uploads() == 0  # still fresh
        pending = db.session.scalar(select(PendingUpload))
        pending.created_at = pending.created_at - documents.PENDING_TTL - timedelta(minutes=1)
        db.session.commit()
        # An expired token no longer gives the deck, even to its owner.
        with app.test_request_context():
            from flask_login import login_user

            login_user(db.session.get(User, startup.owner.id))
            assert documents.pending_deck(current_user, pending.token) is None
        # A file whose row is gone (its user deleted) goes too once it is a day old; a fresh one stays.
        folder = Path(app.config["UPLOAD_DIR"]) / documents.PENDING_FOLDER
        stray_old, stray_new = folder / f"{'o' * 32}.pdf", folder / f"{'n' * 32}.pdf"
        for stray in (stray_old, stray_new):
            stray.write_bytes(PDF)
        day_ago = (utcnow() - documents.PENDING_TTL - timedelta(minutes=1)).timestamp()
        os.utime(stray_old, (day_ago, day_ago))
        assert documents.purge_pending_uploads() == 1
        assert db.session.scalar(select(PendingUpload)) is None
        assert not stray_old.exists() and stray_new.exists()
        stray_new.unlink()
    assert pending_files(app) - kept_before == set()


def test_the_applicant_choice_is_a_labelled_radio_group(app, client, forms, auth):
    call = make_call(app)
    club = make_club(app)
    student = add_club_member(app, club)
    team = make_team(app, club, members=[student], name="Nhóm Chè Xanh")
    startup = make_startup(app, owner=club.leader, name="Nông Sản Sạch")
    login_as(auth, forms, club.leader)
    html = client.get(f"/techfest/{call.slug}/apply").get_data(as_text=True)
    assert "<legend>Who is applying?</legend>" in html
    assert f'type="radio" id="as-1" name="as" value="startup-{startup.id}"' in html
    assert f'value="team-{team.id}"' in html
    assert "Apply for the startup Nông Sản Sạch" in html and "Apply for the team Nhóm Chè Xanh" in html
    assert '<select id="as"' not in html
    html = client.get(f"/techfest/{call.slug}/apply?as=team-{team.id}").get_data(as_text=True)
    assert re.search(rf'value="team-{team.id}"[^>]* checked', html)
