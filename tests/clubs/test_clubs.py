"""Creating and editing clubs, inviting members, and who may do it."""

import io

from ecosystem.auth.models import Role
from ecosystem.clubs.models import Club, ClubMember, ClubRole, Team
from ecosystem.core.uploads import delete_image, stored_path
from ecosystem.directory.models import ComponentKind
from ecosystem.extensions import db
from ecosystem.invitations.models import Invitation
from tests.clubs.conftest import png_bytes
from tests.factories import add_club_member, make_club, make_component, make_team, make_user
from tests.smtp_server import first_link


def university(app, name="Trường Đại học Nông Lâm Thái Nguyên"):
    return make_component(app, kind=ComponentKind.UNIVERSITY, name=name)


def club_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Club))


def test_a_club_leader_creates_a_club_and_becomes_its_leader(app, client, auth, forms):
    leader = make_user(app, roles=(Role.CLUB_LEADER,), full_name="Hoàng Thu Hà")
    school = university(app)
    auth.login(leader.email, leader.password)
    response = forms.post("/clubs/new", {
        "name": "Câu lạc bộ Khởi nghiệp Nông Lâm",
        "university": str(school.id),
        "description": "Chúng tôi **ươm** ý tưởng <script>alert(1)</script>",
        "contact_email": " CLB.NongLam@Example.com ",
        "logo": (png_bytes(), "logo.png"),
    })
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/clubs/cau-lac-bo-khoi-nghiep-nong-lam/members")
    with app.app_context():
        club = db.session.scalar(db.select(Club))
        assert club.university_id == school.id and club.created_by_id == leader.id
        assert [(member.user_id, member.role) for member in club.members] == [(leader.id, ClubRole.LEADER)]
        assert club.search_name == "cau lac bo khoi nghiep nong lam"
        logo = club.logo
        assert stored_path("logos", logo) is not None
    page = client.get("/clubs/cau-lac-bo-khoi-nghiep-nong-lam").get_data(as_text=True)
    assert "<strong>ươm</strong>" in page and "<script>alert" not in page
    assert "Trường Đại học Nông Lâm Thái Nguyên" in page and "Hoàng Thu Hà" in page
    assert f"/media/logos/{logo}" in page
    if "directory.detail" in app.view_functions:
        assert f'href="/directory/{school.slug}"' in page
    assert '<meta name="description" content="Câu lạc bộ Khởi nghiệp Nông Lâm' in page
    with app.app_context():
        delete_image(logo)


def test_a_second_club_with_the_same_name_gets_its_own_address(app):
    school = university(app)
    first = make_club(app, university=school, name="CLB Khởi nghiệp")
    second = make_club(app, university=school, name="CLB Khởi nghiệp")
    reserved = make_club(app, university=school, name="New")
    assert (first.slug, second.slug, reserved.slug) == ("clb-khoi-nghiep", "clb-khoi-nghiep-2", "new-2")


def test_a_plain_member_cannot_create_a_club(app, client, auth, forms):
    member = make_user(app)
    school = university(app)
    auth.login(member.email, member.password)
    assert client.get("/clubs/new").status_code == 403
    response = forms.post("/clubs/new", {"name": "CLB", "university": str(school.id)}, form_page="/")
    assert response.status_code == 403
    assert club_count(app) == 0
    assert "/clubs/new" not in client.get("/clubs/").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/clubs/new")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_coordinator_may_create_a_club(app, auth, forms):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    school = university(app)
    auth.login(coordinator.email, coordinator.password)
    assert forms.post("/clubs/new", {"name": "CLB Sở", "university": str(school.id)}).status_code == 302
    assert club_count(app) == 1


def test_the_leader_edits_the_club_and_its_address_stays(app, client, auth, forms):
    club = make_club(app, name="CLB Đổi mới sáng tạo")
    other_school = university(app, "Trường Đại học Sư phạm Thái Nguyên")
    auth.login(club.leader.email, club.leader.password)
    edit_page = client.get(f"/clubs/{club.slug}/edit").get_data(as_text=True)
    assert "CLB Đổi mới sáng tạo" in edit_page
    response = forms.post(f"/clubs/{club.slug}/edit", {
        "name": "CLB Đổi mới sáng tạo Sư phạm", "university": str(other_school.id), "description": "Mới",
    })
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Club, club.id)
        assert (saved.name, saved.slug, saved.university_id) == (
            "CLB Đổi mới sáng tạo Sư phạm", club.slug, other_school.id)
        assert "su pham" in saved.search_text


def test_a_second_leader_cannot_edit_invite_into_or_manage_teams_of_another_club(app, client, auth, forms):
    club = make_club(app, name="CLB Của Hà")
    team = make_team(app, club, name="Nhóm Trà Xanh")
    member = add_club_member(app, club)
    other_leader = make_user(app, roles=(Role.CLUB_LEADER,))
    make_club(app, leader=other_leader, name="CLB Khác")  # a leader, just not of this club
    auth.login(other_leader.email, other_leader.password)
    with app.app_context():
        member_row = db.session.scalar(db.select(ClubMember).where(ClubMember.user_id == member.id))
        member_row_id = member_row.id
    base = f"/clubs/{club.slug}"
    for url in (f"{base}/edit", f"{base}/members", f"{base}/teams/new", f"{base}/teams/{team.slug}/edit",
                f"{base}/teams/{team.slug}/convert"):
        assert client.get(url).status_code == 403, url
    posts = {
        f"{base}/edit": {"name": "Chiếm", "university": str(club.university_id)},
        f"{base}/members": {"email": "xam@example.com"},
        f"{base}/members/{member_row_id}/remove": {},
        f"{base}/teams/new": {"name": "Nhóm lạ", "members": [str(other_leader.id)], "lead": str(other_leader.id)},
        f"{base}/teams/{team.slug}/edit": {"name": "Đổi tên"},
        f"{base}/teams/{team.slug}/delete": {},
        f"{base}/teams/{team.slug}/convert": {"name": "X", "sector": "agritech", "stage": "idea"},
    }
    for url, data in posts.items():
        assert forms.post(url, data, form_page="/").status_code == 403, url
    with app.app_context():
        saved = db.session.get(Club, club.id)
        assert saved.name == "CLB Của Hà" and len(saved.members) == 3
        assert [t.name for t in saved.teams] == ["Nhóm Trà Xanh"]
        assert db.session.scalar(db.select(db.func.count()).select_from(Invitation)) == 0
    page = client.get(base).get_data(as_text=True)
    assert f"{base}/edit" not in page and f"{base}/teams/new" not in page


def test_unknown_clubs_and_teams_are_404(app, client, auth):
    club = make_club(app)
    auth.login(club.leader.email, club.leader.password)
    assert client.get("/clubs/khong-co").status_code == 404
    assert client.get("/clubs/" + "a" * 5000).status_code == 404
    assert client.get(f"/clubs/{club.slug}/teams/khong-co/edit").status_code == 404


def test_an_invitation_is_accepted_by_the_invited_address_only(app, client, auth, forms, mailbox, deliver_mail):
    club = make_club(app, name="CLB Khởi nghiệp Kỹ thuật")
    student = make_user(app, email="sinhvien@example.com", full_name="Lý Minh Khôi")
    stranger = make_user(app)
    auth.login(club.leader.email, club.leader.password)
    response = forms.post(f"/clubs/{club.slug}/members", {"email": "SinhVien@Example.com"})
    assert response.status_code == 302
    assert "sinhvien@example.com" in client.get(f"/clubs/{club.slug}/members").get_data(as_text=True)
    # A second invitation to the same address while the first is open is refused.
    again = forms.post(f"/clubs/{club.slug}/members", {"email": "sinhvien@example.com"})
    assert again.status_code == 422 and 'class="error"' in again.get_data(as_text=True)
    auth.logout()

    deliver_mail()
    [message] = mailbox.wait_for("sinhvien@example.com")
    assert "CLB Khởi nghiệp Kỹ thuật" in message["Subject"]
    path = first_link(message, "/invitations/").split("localhost", 1)[1]

    auth.login(stranger.email, stranger.password)
    assert forms.post(path, {}).status_code == 403
    auth.logout()
    with app.app_context():
        assert len(db.session.get(Club, club.id).members) == 1

    auth.login(student.email, student.password)
    response = forms.post(path, {})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/clubs/{club.slug}")
    with app.app_context():
        members = {(m.user_id, m.role) for m in db.session.get(Club, club.id).members}
        assert members == {(club.leader.id, ClubRole.LEADER), (student.id, ClubRole.MEMBER)}
    assert "Lý Minh Khôi" in client.get(f"/clubs/{club.slug}").get_data(as_text=True)


def test_inviting_a_member_again_is_refused_with_a_message(app, client, auth, forms):
    leader = make_user(app, roles=(Role.CLUB_LEADER,), locale="en")
    club = make_club(app, leader=leader)
    member = add_club_member(app, club)
    auth.login(leader.email, leader.password)
    response = forms.post(f"/clubs/{club.slug}/members", {"email": member.email})
    assert response.status_code == 422
    assert f"Already members of the club: {member.email}." in response.get_data(as_text=True)


def test_the_leader_withdraws_an_invitation_and_removes_a_member(app, client, auth, forms):
    leader = make_user(app, roles=(Role.CLUB_LEADER,), locale="en")
    club = make_club(app, leader=leader)
    first, second = add_club_member(app, club), add_club_member(app, club)
    team = make_team(app, club, members=[first, second], lead=first)
    auth.login(leader.email, leader.password)
    forms.post(f"/clubs/{club.slug}/members", {"email": "later@example.com"})
    with app.app_context():
        invitation_id = db.session.scalar(db.select(Invitation.id))
        rows = {m.user_id: m.id for m in db.session.get(Club, club.id).members}
    members_page = f"/clubs/{club.slug}/members"
    assert forms.post(f"/clubs/{club.slug}/invitations/{invitation_id}/withdraw", {},
                      form_page=members_page).status_code == 302
    again = forms.post(f"/clubs/{club.slug}/invitations/{invitation_id}/withdraw", {}, form_page=members_page)
    assert again.status_code == 409 and "no longer open" in again.get_data(as_text=True)
    assert forms.post(f"/clubs/{club.slug}/invitations/999999/withdraw", {},
                      form_page=members_page).status_code == 409

    assert forms.post(f"/clubs/{club.slug}/members/{rows[first.id]}/remove", {},
                      form_page=members_page).status_code == 302
    refused = forms.post(f"/clubs/{club.slug}/members/{rows[leader.id]}/remove", {}, form_page=members_page)
    assert refused.status_code == 409 and "cannot be removed" in refused.get_data(as_text=True)
    with app.app_context():
        assert {m.user_id for m in db.session.get(Club, club.id).members} == {leader.id, second.id}
        saved_team = db.session.get(Team, team.id)
        assert [(m.user_id, m.is_lead) for m in saved_team.members] == [(second.id, True)]


def test_logo_must_be_an_image_by_content(app, auth, forms):
    leader = make_user(app, roles=(Role.CLUB_LEADER,), locale="en")
    school = university(app)
    auth.login(leader.email, leader.password)
    response = forms.post("/clubs/new", {
        "name": "CLB Ảnh giả", "university": str(school.id),
        "logo": (io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"), "logo.png"),
    })
    assert response.status_code == 422
    assert "Only PNG, JPEG or WebP images are accepted." in response.get_data(as_text=True)
    assert club_count(app) == 0
