"""The clubs demo: clubs of the directory's universities with teams, one of them a startup; idempotent."""

from ecosystem.auth.demo import DEMO_PASSWORD, seed_users
from ecosystem.auth.models import User
from ecosystem.clubs import demo
from ecosystem.clubs.models import Club, ClubMember, ClubRole, Team
from ecosystem.directory.demo import seed as seed_directory
from ecosystem.extensions import db
from ecosystem.places.services import load_reference_localities
from ecosystem.startups.models import MemberRole, Startup


def counts() -> tuple[int, int, int, int]:
    return tuple(
        db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in (Club, ClubMember, Team, Startup)
    )


def test_demo_clubs_without_universities_are_skipped(app):
    with app.test_request_context():
        assert "skipped" in demo.seed()[0]
        assert counts()[0] == 0


def test_demo_clubs_belong_to_universities_have_teams_and_one_startup(app, client, auth):
    with app.test_request_context():
        seed_users()
        load_reference_localities()
        db.session.commit()
        seed_directory()
        lines = demo.seed()
        assert lines[0].startswith("Clubs:")
        clubs = list(db.session.scalars(db.select(Club)))
        assert len(clubs) >= 5
        assert all(2 <= len(club.teams) <= 4 for club in clubs)
        assert all(club.university.kind == "university" for club in clubs)
        leader = db.session.scalar(db.select(User).where(User.email == "clb@demo.example"))
        assert any(m.user_id == leader.id and m.role == ClubRole.LEADER for club in clubs for m in club.members)
        [converted] = [team for club in clubs for team in club.teams if team.startup_id]
        startup = converted.startup
        assert startup.description == converted.idea
        owner = next(m for m in startup.members if m.role == MemberRole.OWNER)
        assert owner.user_id == next(m.user_id for m in converted.members if m.is_lead)
        assert {m.user_id for m in startup.members} == {m.user_id for m in converted.members}
        club_members = {club.id: {m.user_id for m in club.members} for club in clubs}
        assert all(m.user_id in club_members[team.club_id] for club in clubs for team in club.teams
                   for m in team.members)
        before = counts()
        again = demo.seed()
        assert counts() == before
        assert "(0 new), 0 new teams, 0 converted" in again[0]
        student = db.session.scalar(db.select(User).where(User.email == "sv.duyen@demo.example"))
        assert student.is_confirmed and student.check_password(DEMO_PASSWORD)
        slug = clubs[0].slug
    auth.login("clb@demo.example", DEMO_PASSWORD)
    assert client.get(f"/clubs/{slug}").status_code == 200
    assert client.get("/clubs/").status_code == 200
