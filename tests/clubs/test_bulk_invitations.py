"""Club leaders invite members in bulk: a pasted list, each address checked, a summary of what happened."""

from __future__ import annotations

from ecosystem.auth.models import Role
from ecosystem.clubs import members as club_members
from ecosystem.clubs import profiles as club_profiles
from ecosystem.clubs.models import Club
from ecosystem.extensions import db
from ecosystem.invitations.models import Invitation
from ecosystem.mail.models import OutboxMessage
from tests.factories import add_club_member, make_club, make_user


def open_invitations(app, club) -> set[str]:
    with app.app_context():
        return {invitation.email for invitation in club_profiles.club_invitations(db.session.get(Club, club.id))}


def test_split_addresses_takes_commas_semicolons_spaces_and_new_lines_each_once():
    pasted = " an@example.vn, binh@example.vn;\r\nchi@example.vn\n\n<dung@example.vn>  an@example.vn ,,"
    assert club_members.split_addresses(pasted) == ["an@example.vn", "binh@example.vn", "chi@example.vn",
                                                "dung@example.vn"]
    assert club_members.split_addresses(" \n , ") == []


def test_a_pasted_list_invites_the_new_addresses_and_reports_members_open_invitations_and_bad_ones(
    app, client, auth, forms
):
    leader = make_user(app, roles=(Role.CLUB_LEADER,), locale="en")
    club = make_club(app, leader=leader)
    member = add_club_member(app, club, make_user(app, email="thanhvien@example.vn"))
    auth.login(leader.email, leader.password)
    forms.post(f"/clubs/{club.slug}/members", {"email": "dang.cho@example.vn"})  # an open invitation
    pasted = ("Moi.Mot@Example.vn, moi.hai@example.vn\n"
              f"{member.email}; dang.cho@example.vn\n"
              "khong-phai-email, ai@@example.vn\nmoi.mot@example.vn")
    response = forms.post(f"/clubs/{club.slug}/members", {"email": pasted})
    assert response.status_code == 302
    page = client.get(f"/clubs/{club.slug}/members").get_data(as_text=True)
    assert "Invitation sent to: moi.mot@example.vn, moi.hai@example.vn." in page
    assert "Already members of the club: thanhvien@example.vn." in page
    assert "Already invited (the invitation is still open): dang.cho@example.vn." in page
    assert "Not valid e-mail addresses, not invited: khong-phai-email, ai@@example.vn." in page
    assert open_invitations(app, club) == {"dang.cho@example.vn", "moi.mot@example.vn", "moi.hai@example.vn"}
    with app.app_context():
        recipients = list(db.session.scalars(db.select(OutboxMessage.recipient)))
    assert sorted(recipients) == ["dang.cho@example.vn", "moi.hai@example.vn", "moi.mot@example.vn"]


def test_a_list_that_invites_nobody_is_sent_back_with_the_reasons_and_writes_nothing(app, client, auth, forms):
    leader = make_user(app, roles=(Role.CLUB_LEADER,), locale="en")
    club = make_club(app, leader=leader)
    member = add_club_member(app, club)
    auth.login(leader.email, leader.password)
    response = forms.post(f"/clubs/{club.slug}/members", {"email": f"{member.email}\nnot-an-address"})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'class="error"' in body and "not-an-address" in body and member.email in body
    too_many = ", ".join(f"sv{number}@example.vn" for number in range(51))
    response = forms.post(f"/clubs/{club.slug}/members", {"email": too_many})
    assert response.status_code == 422 and "At most 50 addresses at a time." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Invitation)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 0


def test_only_the_clubs_leader_invites_in_bulk(app, client, auth, forms):
    club = make_club(app)
    other_leader = make_user(app, roles=(Role.CLUB_LEADER,))
    make_club(app, leader=other_leader)
    auth.login(other_leader.email, other_leader.password)
    response = forms.post(f"/clubs/{club.slug}/members", {"email": "a@example.vn, b@example.vn"},
                          form_page="/clubs/")
    assert response.status_code == 403
    assert open_invitations(app, club) == set()
