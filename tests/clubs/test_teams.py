"""Student teams: members chosen among the club's members, and a team that becomes a startup."""

import pytest

from ecosystem.auth.models import Role, User
from ecosystem.clubs import conversion as club_conversion
from ecosystem.clubs import services
from ecosystem.clubs.models import Team
from ecosystem.extensions import db
from ecosystem.startups import members as startup_members
from ecosystem.startups.models import MemberRole, Stage, Startup
from tests.factories import add_club_member, make_club, make_team, make_user


def new_team_form(members, lead, **fields) -> dict:
    return {"name": "Nhóm Chè Sạch", "idea": "Truy xuất nguồn gốc **chè Tân Cương**",
            "members": [str(member.id) for member in members], "lead": str(lead.id), **fields}


def test_the_leader_forms_a_team_of_club_members(app, client, auth, forms):
    club = make_club(app)
    first, second = add_club_member(app, club), add_club_member(app, club)
    auth.login(club.leader.email, club.leader.password)
    response = forms.post(f"/clubs/{club.slug}/teams/new",
                          new_team_form([first, second], second, mentor_wanted="y"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/clubs/{club.slug}#team-nhom-che-sach")
    with app.app_context():
        team = db.session.scalar(db.select(Team))
        assert (team.name, team.slug, team.mentor_wanted) == ("Nhóm Chè Sạch", "nhom-che-sach", True)
        assert [(m.user_id, m.is_lead) for m in team.members] == [(first.id, False), (second.id, True)]
    page = client.get(f"/clubs/{club.slug}").get_data(as_text=True)
    assert "<strong>chè Tân Cương</strong>" in page and 'id="team-nhom-che-sach"' in page


def test_a_non_member_cannot_join_a_team(app, client, auth, forms):
    leader = make_user(app, roles=(Role.CLUB_LEADER,), locale="en")
    club = make_club(app, leader=leader)
    member, outsider = add_club_member(app, club), make_user(app)
    auth.login(leader.email, leader.password)
    response = forms.post(f"/clubs/{club.slug}/teams/new", new_team_form([member, outsider], member))
    assert response.status_code == 422
    assert "Only members of the club can join its teams." in response.get_data(as_text=True)
    response = forms.post(f"/clubs/{club.slug}/teams/new", new_team_form([member], outsider))
    assert response.status_code == 422
    assert "The team lead must be one of the members of the team." in response.get_data(as_text=True)
    response = forms.post(f"/clubs/{club.slug}/teams/new", {"name": "Nhóm trống", "lead": ""})
    assert response.status_code == 422
    assert "Choose at least one member." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Team)) == 0


def test_the_leader_edits_and_deletes_a_team(app, client, auth, forms):
    club = make_club(app)
    first, second = add_club_member(app, club), add_club_member(app, club)
    team = make_team(app, club, members=[first], name="Nhóm Một")
    auth.login(club.leader.email, club.leader.password)
    edit_url = f"/clubs/{club.slug}/teams/{team.slug}/edit"
    assert "Nhóm Một" in client.get(edit_url).get_data(as_text=True)
    response = forms.post(edit_url, new_team_form([first, second], second, name="Nhóm Một Mới"))
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Team, team.id)
        assert (saved.name, saved.slug, saved.mentor_wanted) == ("Nhóm Một Mới", team.slug, False)
        assert [(m.user_id, m.is_lead) for m in saved.members] == [(first.id, False), (second.id, True)]
    assert forms.post(f"/clubs/{club.slug}/teams/{team.slug}/delete", {},
                      form_page=f"/clubs/{club.slug}").status_code == 302
    with app.app_context():
        assert db.session.get(Team, team.id) is None


def convert_form(locality_id, **fields) -> dict:
    return {"name": "Chè Sạch Tân Cương", "sector": "agritech", "stage": "idea",
            "locality": str(locality_id), **fields}


def test_the_leader_converts_a_team_into_a_startup_once(app, client, auth, forms, locality_id):
    leader = make_user(app, roles=(Role.CLUB_LEADER,), locale="en")
    club = make_club(app, leader=leader)
    first, second = add_club_member(app, club), add_club_member(app, club)
    team = make_team(app, club, members=[first, second], lead=first, name="Nhóm Chè Sạch",
                     idea="Truy xuất nguồn gốc chè bằng mã QR.")
    auth.login(leader.email, leader.password)
    url = f"/clubs/{club.slug}/teams/{team.slug}/convert"
    form_page = client.get(url).get_data(as_text=True)
    assert 'value="Nhóm Chè Sạch"' in form_page
    response = forms.post(url, convert_form(locality_id))
    assert response.status_code == 302
    with app.app_context():
        startup = db.session.scalar(db.select(Startup))
        assert (startup.name, startup.description, startup.stage, startup.sector) == (
            "Chè Sạch Tân Cương", "Truy xuất nguồn gốc chè bằng mã QR.", Stage.IDEA, "agritech")
        assert startup.province == "Thái Nguyên" and startup.locality_id == locality_id
        assert sorted((m.user_id, m.role) for m in startup.members) == sorted([
            (leader.id, MemberRole.OWNER), (first.id, MemberRole.MEMBER), (second.id, MemberRole.MEMBER)])
        assert db.session.get(Team, team.id).startup_id == startup.id
        assert Role.FOUNDER in db.session.get(User, first.id).roles
        slug = startup.slug
    page = client.get(f"/clubs/{club.slug}").get_data(as_text=True)
    assert "Became the startup Chè Sạch Tân Cương" in page
    if "/startups/" in page:
        assert f"/startups/{slug}" in page

    again = forms.post(url, convert_form(locality_id, name="Lần hai"), form_page=f"/clubs/{club.slug}")
    assert again.status_code == 409
    assert "This team already became the startup Chè Sạch Tân Cương." in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Startup)) == 1


def test_the_team_lead_converts_and_becomes_the_owner(app, client, auth, forms, locality_id):
    club = make_club(app)
    lead, other, outsider = add_club_member(app, club), add_club_member(app, club), add_club_member(app, club)
    team = make_team(app, club, members=[lead, other], lead=lead)
    url = f"/clubs/{club.slug}/teams/{team.slug}/convert"
    auth.login(other.email, other.password)  # a member who is not the lead
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(outsider.email, outsider.password)
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login(lead.email, lead.password)
    assert forms.post(url, convert_form(locality_id, stage="prototype")).status_code == 302
    with app.app_context():
        startup = db.session.scalar(db.select(Startup))
        assert sorted((m.user_id, m.role) for m in startup.members) == sorted([
            (lead.id, MemberRole.OWNER), (other.id, MemberRole.MEMBER)])
        assert startup.stage == Stage.PROTOTYPE


def test_conversion_refuses_bad_choices_and_writes_nothing(app, client, auth, forms, locality_id):
    leader = make_user(app, roles=(Role.CLUB_LEADER,), locale="en")
    club = make_club(app, leader=leader)
    team = make_team(app, club)
    auth.login(leader.email, leader.password)
    url = f"/clubs/{club.slug}/teams/{team.slug}/convert"
    for fields, message in [
        ({"sector": "password"}, "Choose a sector from the list."),
        ({"sector": ""}, "Please choose a sector."),
        ({"stage": "unicorn"}, "Choose a stage from the list."),
        ({"locality": "999999"}, "Choose a commune or ward from the list."),
        ({"locality": "abc"}, "Choose a commune or ward from the list."),
        ({"name": "Đ" * 10_000}, "A name has at most 120 characters."),
        ({"name": "  "}, "Please enter the name of the startup."),
    ]:
        response = forms.post(url, convert_form(locality_id, **fields))
        assert response.status_code == 422, fields
        assert message in response.get_data(as_text=True), fields
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Startup)) == 0
        assert db.session.get(Team, team.id).startup_id is None


def test_a_failure_after_the_startup_is_written_leaves_nothing_behind(app, monkeypatch, locality_id):
    club = make_club(app)
    team = make_team(app, club, members=[add_club_member(app, club), add_club_member(app, club)])

    def broken_add_member(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(startup_members, "add_member", broken_add_member)
    with app.test_request_context():
        saved_team = db.session.get(Team, team.id)
        leader = db.session.get(User, club.leader.id)
        data = services.ConversionData(name="Khởi nghiệp Dở dang", sector="other", locality_id=locality_id)
        with pytest.raises(RuntimeError):
            club_conversion.convert_team_to_startup(saved_team, leader, data)
        assert db.session.scalar(db.select(db.func.count()).select_from(Startup)) == 0
        assert db.session.get(Team, team.id).startup_id is None


def test_a_failure_halfway_through_a_conversion_leaves_nothing_behind(app, monkeypatch, locality_id):
    leader = make_user(app, roles=(Role.CLUB_LEADER,))
    club = make_club(app, leader=leader)
    first, second = add_club_member(app, club), add_club_member(app, club)
    team = make_team(app, club, members=[first, second], lead=first, name="Nhóm Dở Dang")
    calls = []

    def failing_add_member(*args, **kwargs):
        calls.append(args)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(startup_members, "add_member", failing_add_member)
    with app.test_request_context(), pytest.raises(RuntimeError):
        club_conversion.convert_team_to_startup(
            db.session.get(Team, team.id), db.session.get(User, leader.id),
            services.ConversionData(name="Nhóm Dở Dang", sector="agritech", stage=Stage.IDEA,
                                    locality_id=locality_id),
        )
    assert calls, "the conversion should have reached the member step"
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Startup)) == 0
        assert db.session.get(Team, team.id).startup_id is None


def test_a_team_that_applied_to_a_delegation_is_kept(app, client, auth, forms):
    from sqlalchemy import func, select

    from ecosystem.delegations.models import Application, ApplicationStatus, Category
    from tests.factories import make_call

    club = make_club(app)
    team = make_team(app, club, members=[add_club_member(app, club)], name="Nhóm Techfest")
    call = make_call(app)
    with app.app_context():
        db.session.add(Application(call_id=call.id, team_id=team.id, product_name="Robot", category=Category.BOOTH,
                                   status=ApplicationStatus.ACCEPTED))
        db.session.commit()
    auth.login(club.leader.email, club.leader.password)
    forms.post("/language", {"lang": "en"}, form_page="/")
    response = forms.post(f"/clubs/{club.slug}/teams/{team.slug}/delete", {}, form_page=f"/clubs/{club.slug}")
    assert response.status_code == 409
    assert "applied to a Techfest delegation: it is kept for the record" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Team, team.id) is not None
        assert db.session.scalar(select(func.count()).select_from(Application)) == 1
