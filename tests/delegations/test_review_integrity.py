"""Review integrity: scores stay with their criterion, only current, unconflicted reviewers count, and reviewers
read only the decks of applications under review."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from ecosystem.auth.models import Role, User
from ecosystem.clubs.models import ClubRole
from ecosystem.delegations import review
from ecosystem.delegations.models import Application, ApplicationStatus, CallReviewer, Criterion, Score
from ecosystem.extensions import db
from ecosystem.startups.models import MemberRole, StartupMember
from tests.delegations.review_support import (
    add_scores,
    coordinator,
    make_application,
    make_call,
    mentor,
    rubric_form,
)
from tests.factories.clubs import add_club_member, make_club, make_team
from tests.factories.startups import make_startup
from tests.factories.users import make_user


def scores_by_name(app, application_id: int) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(
            select(Criterion.name, Score.value).join(Score, Score.criterion_id == Criterion.id)
            .where(Score.application_id == application_id)
        ).all())


def save_rubric(app, auth, forms, call, rows, reviewers: list[str]):
    boss = coordinator(app)
    auth.login(boss.email, boss.password)
    response = forms.post(f"/techfest/{call.slug}/rubric", rubric_form(rows, reviewers))
    auth.logout()
    return response


def rubric_of(app, call) -> list[tuple[int, str, int]]:
    with app.app_context():
        return [(c.id, c.name, c.weight) for c in db.session.scalars(
            select(Criterion).where(Criterion.call_id == call.id).order_by(Criterion.position))]


def test_reordering_the_rubric_keeps_each_score_on_its_criterion(app, client, auth, forms):
    reviewer = mentor(app)
    call = make_call(app, reviewers=[reviewer])  # "Đổi mới sáng tạo" (weight 2), "Tiềm năng thị trường" (1)
    application_id, _ = make_application(app, call)
    innovation, market = call.criteria
    add_scores(app, application_id, reviewer, {innovation: 5, market: 2})

    response = save_rubric(app, auth, forms, call, [(market, "Tiềm năng thị trường", 1),
                                                    (innovation, "Đổi mới sáng tạo", 3)], [reviewer.email])
    assert response.status_code == 302
    assert scores_by_name(app, application_id) == {"Đổi mới sáng tạo": 5, "Tiềm năng thị trường": 2}
    assert rubric_of(app, call) == [(market, "Tiềm năng thị trường", 1), (innovation, "Đổi mới sáng tạo", 3)]


def test_renaming_a_criterion_keeps_its_scores(app, client, auth, forms):
    reviewer = mentor(app)
    call = make_call(app, reviewers=[reviewer])
    application_id, _ = make_application(app, call)
    innovation, market = call.criteria
    add_scores(app, application_id, reviewer, {innovation: 5, market: 2})

    # Both rows renamed, and swapped: each score follows its criterion's id, not its name or its row.
    response = save_rubric(app, auth, forms, call, [(market, "Thị trường và khách hàng", 1),
                                                    (innovation, "Tính đổi mới", 2)], [reviewer.email])
    assert response.status_code == 302
    assert rubric_of(app, call) == [(market, "Thị trường và khách hàng", 1), (innovation, "Tính đổi mới", 2)]
    assert scores_by_name(app, application_id) == {"Tính đổi mới": 5, "Thị trường và khách hàng": 2}


def test_a_new_row_with_an_old_name_is_a_new_criterion(app, client, auth, forms):
    """Matching is by id: removing "Đổi mới sáng tạo" and adding a row of the same name does not revive its
    scores, and the other criterion keeps its own."""
    reviewer = mentor(app)
    call = make_call(app, reviewers=[reviewer])
    application_id, _ = make_application(app, call)
    innovation, market = call.criteria
    add_scores(app, application_id, reviewer, {innovation: 5, market: 2})

    response = save_rubric(app, auth, forms, call, [(innovation, "Đổi mới sáng tạo", 2, True),
                                                    (market, "Tiềm năng thị trường", 1),
                                                    (None, "Đổi mới sáng tạo", 2)], [reviewer.email])
    assert response.status_code == 302
    (kept_id, *_), (new_id, new_name, _weight) = rubric_of(app, call)
    assert kept_id == market and new_id not in (innovation, market) and new_name == "Đổi mới sáng tạo"
    assert scores_by_name(app, application_id) == {"Tiềm năng thị trường": 2}


def test_deleting_a_rubric_row_deletes_only_that_criterions_scores(app, client, auth, forms):
    reviewer = mentor(app)
    call = make_call(app, reviewers=[reviewer])
    application_id, _ = make_application(app, call)
    innovation, market = call.criteria
    add_scores(app, application_id, reviewer, {innovation: 5, market: 2})

    response = save_rubric(app, auth, forms, call, [(innovation, "Đổi mới sáng tạo", 2, True),
                                                    (market, "Tiềm năng thị trường", 1),
                                                    (None, "Tác động xã hội", 2), (None, "", 1)], [reviewer.email])
    assert response.status_code == 302
    assert scores_by_name(app, application_id) == {"Tiềm năng thị trường": 2}
    with app.app_context():
        assert db.session.get(Criterion, market).name == "Tiềm năng thị trường"
        assert db.session.get(Criterion, innovation) is None
    assert [name for _id, name, _weight in rubric_of(app, call)] == ["Tiềm năng thị trường", "Tác động xã hội"]


def test_a_row_left_out_of_the_form_is_removed_with_only_its_scores(app, client, auth, forms):
    reviewer = mentor(app)
    call = make_call(app, reviewers=[reviewer])
    application_id, _ = make_application(app, call)
    innovation, market = call.criteria
    add_scores(app, application_id, reviewer, {innovation: 5, market: 2})

    response = save_rubric(app, auth, forms, call, [(innovation, "Đổi mới sáng tạo", 2)], [reviewer.email])
    assert response.status_code == 302
    assert scores_by_name(app, application_id) == {"Đổi mới sáng tạo": 5}


def test_a_criterion_listed_twice_is_refused_and_nothing_changes(app, client, auth, forms):
    call = make_call(app)
    innovation, market = call.criteria
    response = save_rubric(app, auth, forms, call, [(innovation, "Thị trường", 1), (market, "thi truong", 2)], [])
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "listed twice" in html or "hai lần" in html
    # The message is at the second row's name field.
    assert 'id="criteria-1-name-error"' in html
    assert [name for _id, name, _weight in rubric_of(app, call)] == ["Đổi mới sáng tạo", "Tiềm năng thị trường"]


def test_a_criterion_of_another_call_is_refused(app, client, auth, forms):
    call, other = make_call(app), make_call(app)
    innovation, _market = call.criteria
    response = save_rubric(app, auth, forms, call, [(innovation, "Đổi mới sáng tạo", 2),
                                                    (other.criteria[1], "Lấy của đợt khác", 1)], [])
    assert response.status_code == 422
    assert len(rubric_of(app, other)) == 2 and len(rubric_of(app, call)) == 2


def test_a_removed_reviewers_scores_no_longer_count(app, client, auth):
    kept, removed = mentor(app), mentor(app)
    call = make_call(app, reviewers=[kept, removed])
    innovation, market = call.criteria
    application_id, _ = make_application(app, call, product="Trà xanh")
    add_scores(app, application_id, kept, {innovation: 4, market: 4})
    add_scores(app, application_id, removed, {innovation: 1, market: 1})
    with app.app_context():
        db.session.execute(db.delete(CallReviewer).where(CallReviewer.user_id == removed.id))
        db.session.commit()
        call_row = review.call_by_slug(call.slug)
        [row] = review.ranking(call_row)
    assert (row.mean, row.spread, row.reviewers, row.scores) == (4, 0, 1, 2)
    assert row.criterion_means == {innovation: 4, market: 4}

    boss = coordinator(app)
    auth.login(boss.email, boss.password)
    response = client.get(f"/techfest/{call.slug}/ranking.xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[1][6:] == (4, 0, 1, 4, 4)


def _join_startup(app, startup_id: int, user) -> None:
    with app.app_context():
        db.session.add(StartupMember(startup_id=startup_id, user_id=user.id, role=MemberRole.MEMBER))
        db.session.commit()


def test_a_reviewer_who_is_a_member_of_the_applying_startup_cannot_score_it(app, client, auth, forms):
    insider, outsider = mentor(app), mentor(app)
    call = make_call(app, reviewers=[insider, outsider])
    innovation, market = call.criteria
    startup = make_startup(app)
    application_id, _ = make_application(app, call, startup=startup)
    # Scores given before the reviewer joined the startup stop counting once they are on its side.
    add_scores(app, application_id, insider, {innovation: 5, market: 5})
    add_scores(app, application_id, outsider, {innovation: 2, market: 2})
    _join_startup(app, startup.id, insider)

    with app.app_context():
        application = db.session.get(Application, application_id)
        assert review.has_conflict(application, insider.id) and not review.has_conflict(application, outsider.id)
        with pytest.raises(review.ReviewError):
            review.score_application(application, db.session.get(User, insider.id), {innovation: 5, market: 5})
        [row] = review.ranking(application.call)
    assert (row.mean, row.reviewers) == (2, 1)

    auth.login(insider.email, insider.password)
    page = client.get(f"/techfest/{call.slug}/review").get_data(as_text=True)
    assert f'action="/techfest/{call.slug}/review/{application_id}/score"' not in page
    response = forms.post(f"/techfest/{call.slug}/review/{application_id}/score",
                          {f"criterion-{innovation}": "5", f"criterion-{market}": "5"},
                          form_page=f"/techfest/{call.slug}/review")
    assert response.status_code == 403
    with app.app_context():
        insider_scores = db.session.scalars(select(Score.value).where(
            Score.application_id == application_id, Score.reviewer_id == insider.id)).all()
    assert sorted(insider_scores) == [5, 5]  # unchanged: the refused form wrote nothing


def test_a_club_leader_and_a_team_member_are_conflicted_with_the_teams_application(app):
    leader, student, stranger = make_user(app), make_user(app), make_user(app, roles=(Role.MENTOR,))
    club = make_club(app, leader=leader)
    add_club_member(app, club, student, ClubRole.MEMBER)
    team = make_team(app, club, members=[student])
    call = make_call(app, reviewers=[leader, student, stranger])
    with app.app_context():
        application = Application(call_id=call.id, team_id=team.id, product_name="Robot tưới chè",
                                  category="booth", status=ApplicationStatus.SUBMITTED)
        db.session.add(application)
        db.session.commit()
        call_row = review.call_by_slug(call.slug)
        conflicts = review.conflicts_of(call_row, [leader.id, student.id, stranger.id])
        assert conflicts == {(application.id, leader.id), (application.id, student.id)}


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("status, allowed", [
    (ApplicationStatus.SUBMITTED, True), (ApplicationStatus.ACCEPTED, True),
    (ApplicationStatus.DRAFT, False), (ApplicationStatus.WITHDRAWN, False),
])
def test_reviewers_download_decks_only_of_applications_under_review(app, client, auth, status, allowed):
    reviewer = mentor(app)
    call = make_call(app, reviewers=[reviewer])
    application_id, startup = make_application(app, call, status=status)
    name = f"deck{'x' * 24}{status}.pdf".replace("-", "_")
    folder = Path(app.config["UPLOAD_DIR"]) / "decks"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(PDF)
    with app.app_context():
        db.session.get(Application, application_id).pitch_deck = name
        db.session.commit()
    auth.login(reviewer.email, reviewer.password)
    response = client.get(f"/techfest/applications/{application_id}/deck.pdf")
    assert response.status_code == (200 if allowed else 404)
    auth.logout()
    auth.login(startup.owner.email, startup.owner.password)  # the applicant always reads their own deck
    assert client.get(f"/techfest/applications/{application_id}/deck.pdf").status_code == 200
