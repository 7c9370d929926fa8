"""Co-founders: invitations by e-mail, accepting, removing, transferring the ownership."""

from __future__ import annotations

from urllib.parse import urlsplit

from ecosystem.auth.models import Role, User
from ecosystem.extensions import db
from ecosystem.invitations.models import Invitation
from ecosystem.startups.members import add_member
from ecosystem.startups.models import MemberRole, Startup, StartupMember
from tests.factories import make_startup, make_user
from tests.smtp_server import first_link, text_body

INVITED = "dong.sang.lap@example.vn"


def members_of(app, startup_id: int) -> dict[int, str]:
    with app.app_context():
        rows = db.session.execute(
            db.select(StartupMember.user_id, StartupMember.role).where(StartupMember.startup_id == startup_id)
        ).all()
        return {user_id: role for user_id, role in rows}


def invite(forms, slug: str, email: str):
    return forms.post(f"/startups/{slug}/members/invite", {"email": email}, form_page=f"/startups/{slug}/members")


def test_an_invitation_is_accepted_by_the_invited_address_only(app, client, auth, forms, mailbox, deliver_mail):
    ref = make_startup(app, name="Nông sản Đại Từ")
    auth.login(ref.owner.email, ref.owner.password)
    response = invite(forms, ref.slug, "  Dong.Sang.Lap@Example.VN ")
    assert response.status_code == 302 and response.headers["Location"] == f"/startups/{ref.slug}/members"
    assert INVITED in client.get(f"/startups/{ref.slug}/members").get_data(as_text=True)

    report = deliver_mail()
    assert len(report.sent) == 1, report
    [message] = mailbox.wait_for(INVITED)
    assert "Nông sản Đại Từ" in message["Subject"]
    assert "Nông sản Đại Từ" in text_body(message)
    link = urlsplit(first_link(message, "/invitations/")).path

    # Someone else, signed in, cannot use the link.
    auth.logout()
    intruder = make_user(app, email="ke.la@example.vn")
    auth.login(intruder.email, intruder.password)
    refused = forms.post(link, {})
    assert refused.status_code == 403
    assert members_of(app, ref.id) == {ref.owner.id: MemberRole.OWNER}

    auth.logout()
    invited = make_user(app, email=INVITED, full_name="Lê Thị Mai")
    auth.login(invited.email, invited.password)
    accepted = forms.post(link, {})
    assert accepted.status_code == 302 and accepted.headers["Location"] == f"/startups/{ref.slug}"
    assert members_of(app, ref.id) == {ref.owner.id: MemberRole.OWNER, invited.id: MemberRole.MEMBER}
    with app.app_context():
        assert db.session.get(User, invited.id).has_role(Role.FOUNDER)
    assert "Lê Thị Mai" in client.get(f"/startups/{ref.slug}").get_data(as_text=True)
    # The link works once.
    assert forms.post(link, {}).status_code == 403
    assert members_of(app, ref.id) == {ref.owner.id: MemberRole.OWNER, invited.id: MemberRole.MEMBER}


def test_invitation_mistakes_get_a_message(app, client, auth, forms, english):
    ref = make_startup(app)
    cofounder = make_user(app, email="da.la.thanh.vien@example.vn")
    with app.app_context():
        add_member(db.session.get(Startup, ref.id), db.session.get(User, cofounder.id))
        db.session.commit()
    auth.login(ref.owner.email, ref.owner.password)
    english()
    for email, message in [
        ("", "Please enter an e-mail address."),
        ("khong-phai-email", "This is not a valid e-mail address."),
        ("a" * 300 + "@example.vn", "An e-mail address has at most 254 characters."),
        (cofounder.email, "is already a member of this startup."),
        (ref.owner.email, "is already a member of this startup."),
    ]:
        response = invite(forms, ref.slug, email)
        assert response.status_code == 422, email
        assert message in response.get_data(as_text=True), email
    assert invite(forms, ref.slug, INVITED).status_code == 302
    again = invite(forms, ref.slug, INVITED)
    assert again.status_code == 422 and "already has an open invitation" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Invitation)) == 1


def test_the_owner_withdraws_an_invitation_and_the_link_stops_working(app, client, auth, forms, mailbox, deliver_mail):
    ref = make_startup(app)
    auth.login(ref.owner.email, ref.owner.password)
    invite(forms, ref.slug, INVITED)
    deliver_mail()
    link = urlsplit(first_link(mailbox.wait_for(INVITED)[0], "/invitations/")).path
    with app.app_context():
        invitation_id = db.session.scalar(db.select(Invitation.id))
    members_page = f"/startups/{ref.slug}/members"
    assert forms.post(f"/startups/{ref.slug}/invitations/{invitation_id}/revoke", {},
                      form_page=members_page).status_code == 302
    assert f"/invitations/{invitation_id}/revoke" not in client.get(members_page).get_data(as_text=True)
    assert forms.post(f"/startups/{ref.slug}/invitations/{invitation_id}/revoke", {},
                      form_page=members_page).status_code == 404
    # Another startup's owner cannot withdraw this startup's invitations through their own page.
    other = make_startup(app)
    auth.logout()
    auth.login(other.owner.email, other.owner.password)
    assert forms.post(f"/startups/{other.slug}/invitations/{invitation_id}/revoke", {},
                      form_page=f"/startups/{other.slug}/members").status_code == 404
    auth.logout()
    invited = make_user(app, email=INVITED)
    auth.login(invited.email, invited.password)
    assert client.get(link).status_code == 404
    assert forms.post(link, {}, form_page="/").status_code == 403
    assert members_of(app, ref.id) == {ref.owner.id: MemberRole.OWNER}


def test_the_owner_removes_a_member_but_not_themself(app, client, auth, forms, english):
    ref = make_startup(app)
    cofounder = make_user(app)
    with app.app_context():
        startup = db.session.get(Startup, ref.id)
        member = add_member(startup, db.session.get(User, cofounder.id))
        db.session.commit()
        member_id, owner_member_id = member.id, startup.members[0].id
    auth.login(ref.owner.email, ref.owner.password)
    english()
    page = f"/startups/{ref.slug}/members"
    refused = forms.post(f"/startups/{ref.slug}/members/{owner_member_id}/remove", {}, form_page=page)
    assert refused.status_code == 422
    assert "The owner cannot be removed." in refused.get_data(as_text=True)
    assert forms.post(f"/startups/{ref.slug}/members/{member_id}/remove", {}, form_page=page).status_code == 302
    assert members_of(app, ref.id) == {ref.owner.id: MemberRole.OWNER}
    assert forms.post(f"/startups/{ref.slug}/members/{member_id}/remove", {}, form_page=page).status_code == 422


def test_ownership_transfer_through_the_members_page(app, client, auth, forms, english):
    ref = make_startup(app)
    cofounder = make_user(app, full_name="Đỗ Văn Hùng")
    other = make_startup(app)
    with app.app_context():
        member = add_member(db.session.get(Startup, ref.id), db.session.get(User, cofounder.id))
        db.session.commit()
        member_id = member.id
        foreign_member = db.session.scalar(db.select(StartupMember.id).where(StartupMember.startup_id == other.id))
    auth.login(ref.owner.email, ref.owner.password)
    english()
    page = f"/startups/{ref.slug}/members"
    html = client.get(page).get_data(as_text=True)
    assert f'<option value="{member_id}">Đỗ Văn Hùng</option>' in html
    for bad in ("", "abc", str(foreign_member), "-1", "9" * 40):
        response = forms.post(f"/startups/{ref.slug}/owner", {"member_id": bad}, form_page=page)
        assert response.status_code == 422, bad
        assert "Ownership can only go to a member of the startup." in response.get_data(as_text=True)
    assert members_of(app, ref.id) == {ref.owner.id: MemberRole.OWNER, cofounder.id: MemberRole.MEMBER}

    response = forms.post(f"/startups/{ref.slug}/owner", {"member_id": str(member_id)}, form_page=page)
    assert response.status_code == 302
    assert members_of(app, ref.id) == {ref.owner.id: MemberRole.MEMBER, cofounder.id: MemberRole.OWNER}
    # The former owner is now a co-founder: profile yes, members and deletion no.
    assert client.get(page).status_code == 403
    assert client.get(f"/startups/{ref.slug}/delete").status_code == 403
    assert client.get(f"/startups/{ref.slug}/edit").status_code == 200
    auth.logout()
    auth.login(cofounder.email, cofounder.password)
    assert client.get(page).status_code == 200
