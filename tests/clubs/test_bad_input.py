"""Hostile input to every clubs form: a clear 4xx with a message, nothing written, never a 500."""

import pytest

from ecosystem.auth.models import Role
from ecosystem.clubs.models import Club, ClubMember, Team, TeamMember
from ecosystem.directory.models import ComponentKind
from ecosystem.extensions import db
from ecosystem.invitations.models import Invitation
from ecosystem.mail.models import OutboxMessage
from ecosystem.startups.models import Startup
from tests.factories import add_club_member, make_club, make_component, make_team, make_user

HUGE = "Đ" * 10_000
NASTY_VALUES = ["", " ", HUGE, "\x00\x01\x02", "<script>alert(1)</script>", "' OR 1=1 --", "🙂" * 300, "ｔｅｓｔ",
                "-1", "99999999999999999999"]


def table_counts(app) -> tuple[int, ...]:
    with app.app_context():
        return tuple(
            db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (Club, ClubMember, Team, TeamMember, Invitation, Startup, OutboxMessage)
        )


@pytest.fixture
def scene(app, locality_id):
    leader = make_user(app, roles=(Role.CLUB_LEADER,), locale="en")
    club = make_club(app, leader=leader, name="CLB Gốc")
    team = make_team(app, club, name="Nhóm Gốc")
    return leader, club, team


def test_every_clubs_form_answers_hostile_input_without_a_500(app, client, auth, forms, scene):
    leader, club, team = scene
    auth.login(leader.email, leader.password)
    base = f"/clubs/{club.slug}"
    form_urls = {
        "/clubs/new": ["name", "university", "description", "contact_email", "remove_logo"],
        f"{base}/edit": ["name", "university", "description", "contact_email", "remove_logo"],
        f"{base}/members": ["email"],
        f"{base}/teams/new": ["name", "idea", "members", "lead", "mentor_wanted"],
        f"{base}/teams/{team.slug}/edit": ["name", "idea", "members", "lead", "mentor_wanted"],
        f"{base}/teams/{team.slug}/convert": ["name", "sector", "stage", "locality"],
    }
    before = table_counts(app)
    for url, fields in form_urls.items():
        for value in NASTY_VALUES:
            response = forms.post(url, {field: value for field in fields}, form_page=url)
            assert 400 <= response.status_code < 500, (url, value[:20], response.status_code)
            body = response.get_data(as_text=True)
            assert any(marker in body for marker in ('class="error"', "flash-error", "error-page")), (url, value[:20])
    assert table_counts(app) == before
    with app.app_context():
        assert db.session.get(Club, club.id).name == "CLB Gốc"
        assert db.session.get(Team, team.id).name == "Nhóm Gốc"


@pytest.mark.parametrize("fields, message", [
    ({"name": HUGE}, "A name has at most 160 characters."),
    ({"name": "   "}, "Please enter the name of the club."),
    ({"university": "999999"}, "Choose a university from the list."),
    ({"university": "abc"}, "Choose a university from the list."),
    ({"university": ""}, "Please choose the university of the club."),
    ({"description": "x" * 10_001}, "The text has at most 10000 characters."),
    ({"contact_email": "not-an-address"}, "This is not a valid e-mail address."),
])
def test_club_form_messages(app, auth, forms, fields, message):
    leader = make_user(app, roles=(Role.CLUB_LEADER,), locale="en")
    school = make_component(app, kind=ComponentKind.UNIVERSITY, name="Trường Cao đẳng Thử")
    auth.login(leader.email, leader.password)
    response = forms.post("/clubs/new", {"name": "CLB Hợp lệ", "university": str(school.id), **fields})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Club)) == 0


def test_a_pending_or_non_university_component_is_refused(app, auth, forms):
    leader = make_user(app, roles=(Role.CLUB_LEADER,), locale="en")
    incubator = make_component(app, kind=ComponentKind.INCUBATOR, name="Vườn ươm")
    pending = make_component(app, kind=ComponentKind.UNIVERSITY, name="Trường chờ duyệt", status="pending",
                             suggested_by=leader.id)
    auth.login(leader.email, leader.password)
    for component in (incubator, pending):
        response = forms.post("/clubs/new", {"name": "CLB", "university": str(component.id)})
        assert response.status_code == 422
        assert "Choose a university from the list." in response.get_data(as_text=True)


def test_team_form_messages(app, auth, forms):
    leader = make_user(app, roles=(Role.CLUB_LEADER,), locale="en")
    club = make_club(app, leader=leader)
    member = add_club_member(app, club)
    auth.login(leader.email, leader.password)
    url = f"/clubs/{club.slug}/teams/new"
    valid = {"name": "Nhóm", "members": [str(member.id)], "lead": str(member.id)}
    for fields, message in [
        ({"name": HUGE}, "A name has at most 120 characters."),
        ({"idea": "y" * 5_001}, "The text has at most 5000 characters."),
        ({"members": ["abc"], "lead": "abc"}, "Only members of the club can join its teams."),
        ({"lead": ""}, "Choose the team lead."),
    ]:
        response = forms.post(url, {**valid, **fields})
        assert response.status_code == 422, fields
        assert message in response.get_data(as_text=True), fields
