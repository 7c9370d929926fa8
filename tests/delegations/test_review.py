"""Scored review: invited reviewers only, scores 1–5, conflicts of interest, ranking and spread, decisions."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ecosystem.delegations import review
from ecosystem.delegations.models import Application, ApplicationStatus, ConflictOfInterest, DelegationCall, Score
from ecosystem.extensions import db
from tests.delegations.review_support import (
    add_scores,
    coordinator,
    english,
    make_application,
    make_call,
    mentor,
)
from tests.factories.users import make_user


def review_url(call) -> str:
    return f"/techfest/{call.slug}/review"


def score_count(app, application_id: int | None = None) -> int:
    with app.app_context():
        statement = select(func.count()).select_from(Score)
        if application_id is not None:
            statement = statement.where(Score.application_id == application_id)
        return db.session.scalar(statement)


def test_only_coordinators_and_invited_reviewers_see_the_review(app, client, auth):
    invited, outsider = mentor(app), mentor(app)
    call = make_call(app, reviewers=[invited])
    other_call = make_call(app)
    make_application(app, call, product="Máy sấy chè")
    assert client.get(review_url(call)).status_code == 302  # anonymous: to the login page
    auth.login(outsider.email, outsider.password)
    assert client.get(review_url(call)).status_code == 403
    auth.logout()
    auth.login(invited.email, invited.password)
    page = client.get(review_url(call))
    assert page.status_code == 200 and "Máy sấy chè" in page.get_data(as_text=True)
    assert client.get(review_url(other_call)).status_code == 403  # invited to one call, not the other
    assert client.get("/techfest/khong-co-dot-nay/review").status_code == 404
    assert client.get(f"/techfest/{'x' * 5000}/review").status_code == 404
    auth.logout()
    founder = make_user(app)
    auth.login(founder.email, founder.password)
    assert client.get(review_url(call)).status_code == 403
    auth.logout()
    boss = coordinator(app)
    auth.login(boss.email, boss.password)
    assert client.get(review_url(call)).status_code == 200


def test_invited_reviewer_scores_and_can_change_the_scores(app, client, auth, forms):
    reviewer = mentor(app)
    call = make_call(app, reviewers=[reviewer])
    application_id, _startup = make_application(app, call)
    auth.login(reviewer.email, reviewer.password)
    first, second = call.criteria
    url = f"/techfest/{call.slug}/review/{application_id}/score"
    response = forms.post(url, {f"criterion-{first}": "5", f"criterion-{second}": "2", "comment": "Sản phẩm tốt"},
                          form_page=review_url(call))
    assert response.status_code == 302
    response = forms.post(url, {f"criterion-{first}": "4", f"criterion-{second}": " 3 "}, form_page=review_url(call))
    assert response.status_code == 302
    with app.app_context():
        values = dict(db.session.execute(select(Score.criterion_id, Score.value)
                                         .where(Score.application_id == application_id)).all())
    assert values == {first: 4, second: 3}


@pytest.mark.parametrize("bad", ["0", "6", "-1", "abc", "", "3.5", "x" * 10_000, "５", "٣"])
def test_scores_outside_1_to_5_are_refused_with_a_message(app, client, auth, forms, bad):
    reviewer = mentor(app)
    call = make_call(app, reviewers=[reviewer])
    application_id, _startup = make_application(app, call)
    auth.login(reviewer.email, reviewer.password)
    english(forms)
    first, second = call.criteria
    response = forms.post(f"/techfest/{call.slug}/review/{application_id}/score",
                          {f"criterion-{first}": "4", f"criterion-{second}": bad}, form_page=review_url(call))
    assert response.status_code == 400
    assert "a whole number from 1 to 5" in response.get_data(as_text=True)
    assert score_count(app) == 0  # nothing half-written: the valid first score is not kept either


def test_missing_criterion_and_overlong_comment_are_refused(app, client, auth, forms):
    reviewer = mentor(app)
    call = make_call(app, reviewers=[reviewer])
    application_id, _startup = make_application(app, call)
    auth.login(reviewer.email, reviewer.password)
    english(forms)
    first, second = call.criteria
    url = f"/techfest/{call.slug}/review/{application_id}/score"
    assert forms.post(url, {f"criterion-{first}": "4"}, form_page=review_url(call)).status_code == 400
    response = forms.post(url, {f"criterion-{first}": "4", f"criterion-{second}": "4", "comment": "ý" * 1001},
                          form_page=review_url(call))
    assert response.status_code == 400 and "at most 1000 characters" in response.get_data(as_text=True)
    assert score_count(app) == 0
    # Without the CSRF token: refused, nothing written.
    assert client.post(url, data={f"criterion-{first}": "4", f"criterion-{second}": "4"}).status_code == 400
    assert score_count(app) == 0


def test_reviewer_not_invited_and_coordinator_cannot_score(app, client, auth, forms):
    invited, outsider = mentor(app), mentor(app)
    call = make_call(app, reviewers=[invited])
    other = make_call(app, reviewers=[outsider])
    application_id, _startup = make_application(app, call)
    first, second = call.criteria
    data = {f"criterion-{first}": "4", f"criterion-{second}": "4"}
    auth.login(outsider.email, outsider.password)
    url = f"/techfest/{call.slug}/review/{application_id}/score"
    assert forms.post(url, data, form_page=review_url(other)).status_code == 403
    # The application through another call's URL: not found.
    assert forms.post(f"/techfest/{other.slug}/review/{application_id}/score", data,
                      form_page=review_url(other)).status_code == 404
    auth.logout()
    boss = coordinator(app)
    auth.login(boss.email, boss.password)
    assert forms.post(url, data, form_page=review_url(call)).status_code == 403  # not invited as a reviewer
    assert score_count(app) == 0


def test_a_reviewer_with_a_conflict_cannot_score(app, client, auth, forms):
    reviewer, colleague = mentor(app), mentor(app)
    call = make_call(app, reviewers=[reviewer, colleague])
    application_id, _startup = make_application(app, call)
    first, second = call.criteria
    add_scores(app, application_id, reviewer, {first: 5, second: 5})
    add_scores(app, application_id, colleague, {first: 2, second: 2})
    auth.login(reviewer.email, reviewer.password)
    english(forms)
    response = forms.post(f"/techfest/{call.slug}/review/{application_id}/conflict",
                          {"reason": "Tôi là cố vấn của startup này"}, form_page=review_url(call))
    assert response.status_code == 302
    with app.app_context():
        conflict = db.session.scalar(select(ConflictOfInterest))
        assert (conflict.reviewer_id, conflict.reason) == (reviewer.id, "Tôi là cố vấn của startup này")
        assert {score.reviewer_id for score in db.session.scalars(select(Score))} == {colleague.id}
    response = forms.post(f"/techfest/{call.slug}/review/{application_id}/score",
                          {f"criterion-{first}": "5", f"criterion-{second}": "5"}, form_page=review_url(call))
    assert response.status_code == 403
    assert "conflict of interest" in response.get_data(as_text=True)
    assert score_count(app) == 2  # only the colleague's
    page = client.get(review_url(call)).get_data(as_text=True)
    assert f'action="/techfest/{call.slug}/review/{application_id}/score"' not in page
    # Declaring twice is harmless; an overlong reason is refused with a message.
    assert forms.post(f"/techfest/{call.slug}/review/{application_id}/conflict", {},
                      form_page=review_url(call)).status_code == 302
    response = forms.post(f"/techfest/{call.slug}/review/{application_id}/conflict", {"reason": "x" * 301},
                          form_page=review_url(call))
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ConflictOfInterest)) == 1


def test_the_service_refuses_a_conflicted_reviewer_too(app):
    reviewer = mentor(app)
    call = make_call(app, reviewers=[reviewer])
    application_id, _startup = make_application(app, call)
    with app.app_context():
        from ecosystem.auth.models import User

        application, user = db.session.get(Application, application_id), db.session.get(User, reviewer.id)
        assert review.declare_conflict(application, user, "Người nhà") is True
        with pytest.raises(review.ReviewError):
            review.score_application(application, user, dict.fromkeys(call.criteria, 3))
        assert db.session.scalar(select(func.count()).select_from(Score)) == 0


def test_ranking_orders_by_weighted_mean_and_computes_the_spread(app):
    first_reviewer, second_reviewer = mentor(app), mentor(app)
    # Weights: innovation 2, market 1.
    call = make_call(app, reviewers=[first_reviewer, second_reviewer])
    innovation, market = call.criteria
    a, _ = make_application(app, call, product="A")
    b, _ = make_application(app, call, product="B")
    c, _ = make_application(app, call, product="C")  # nobody scored it: last
    d, _ = make_application(app, call, product="D", status=ApplicationStatus.DRAFT)  # not in the review
    # B: (2×5 + 1×2) / 3 = 4 and (2×3 + 1×3) / 3 = 3 → mean 3.5, spread 1.
    add_scores(app, b, first_reviewer, {innovation: 5, market: 2})
    add_scores(app, b, second_reviewer, {innovation: 3, market: 3})
    # A: (2×4 + 1×5) / 3 = 13/3 from one reviewer → mean 4.33, spread 0.
    add_scores(app, a, first_reviewer, {innovation: 4, market: 5})
    with app.app_context():
        ranked = review.ranking(db.session.get(DelegationCall, call.id))
    assert [row.application.id for row in ranked] == [a, b, c]
    by_id = {row.application.id: row for row in ranked}
    assert by_id[a].mean == pytest.approx(13 / 3) and by_id[a].spread == 0 and by_id[a].reviewers == 1
    assert by_id[b].mean == pytest.approx(3.5) and by_id[b].spread == pytest.approx(1) and by_id[b].reviewers == 2
    assert by_id[b].scores == 4
    assert by_id[c].mean is None and by_id[c].spread is None and by_id[c].reviewers == 0
    assert d not in by_id


def test_ranking_page_shows_mean_and_spread(app, client, auth, forms):
    first_reviewer, second_reviewer = mentor(app), mentor(app)
    call = make_call(app, reviewers=[first_reviewer, second_reviewer])
    innovation, market = call.criteria
    application_id, _ = make_application(app, call, product="Trà xanh sấy lạnh")
    add_scores(app, application_id, first_reviewer, {innovation: 5, market: 5})
    add_scores(app, application_id, second_reviewer, {innovation: 2, market: 2})
    auth.login(first_reviewer.email, first_reviewer.password)
    page = client.get(review_url(call)).get_data(as_text=True)
    # Mean (5 + 2) / 2, spread 5 − 2, with a decimal comma in Vietnamese.
    assert ">3,50</td>" in page and ">3,00</td>" in page and "3.50" not in page
    english(forms)
    page = client.get(review_url(call)).get_data(as_text=True)
    assert ">3.50</td>" in page and ">3.00</td>" in page


def test_coordinator_accepts_reserves_and_rejects_with_messages(app, client, auth, forms):
    boss = coordinator(app)
    call = make_call(app, allocations=(("Đại học Thái Nguyên", 1, 1),))
    [allocation] = call.allocations
    first, _ = make_application(app, call, allocation=allocation, product="Sản phẩm một")
    second, _ = make_application(app, call, allocation=allocation, product="Sản phẩm hai")
    third, _ = make_application(app, call, allocation=allocation, product="Sản phẩm ba")
    auth.login(boss.email, boss.password)
    english(forms)

    def decide(application_id, **data):
        return forms.post(f"/techfest/{call.slug}/review/{application_id}/decide", data, form_page=review_url(call))

    assert decide(first, decision="accept", message="Chúc mừng").status_code == 302
    full = decide(second, decision="accept")
    assert full.status_code == 409 and "has no room left" in full.get_data(as_text=True)
    missing_rank = decide(second, decision="reserve")
    assert missing_rank.status_code == 400 and "reserve rank" in missing_rank.get_data(as_text=True)
    assert decide(second, decision="reserve", rank="1").status_code == 302
    assert decide(third, decision="reject", message="Chưa phù hợp").status_code == 302
    for bad in ({"decision": "promote"}, {"decision": "reserve", "rank": "-1"}, {"decision": "reserve", "rank": "x"},
                {"decision": "reject", "message": "x" * 2001}, {}):
        assert decide(third, **bad).status_code == 400
    with app.app_context():
        statuses = {row.id: (row.status, row.reserve_rank, row.decision_message)
                    for row in db.session.scalars(select(Application))}
    assert statuses == {first: ("accepted", None, "Chúc mừng"), second: ("reserve", 1, None),
                        third: ("rejected", None, "Chưa phù hợp")}


def test_reviewers_cannot_decide(app, client, auth, forms):
    reviewer = mentor(app)
    call = make_call(app, reviewers=[reviewer])
    application_id, _ = make_application(app, call, allocation=call.allocations[0])
    auth.login(reviewer.email, reviewer.password)
    response = forms.post(f"/techfest/{call.slug}/review/{application_id}/decide", {"decision": "accept"},
                          form_page=review_url(call))
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Application, application_id).status == ApplicationStatus.SUBMITTED


def test_review_page_query_count_does_not_grow(app, client, auth, count_queries):
    first_reviewer, second_reviewer = mentor(app), mentor(app)
    call = make_call(app, reviewers=[first_reviewer, second_reviewer])

    def seed(count):
        for _ in range(count):
            application_id, _startup = make_application(app, call, allocation=call.allocations[0])
            add_scores(app, application_id, second_reviewer, dict.fromkeys(call.criteria, 4))

    seed(3)
    auth.login(first_reviewer.email, first_reviewer.password)
    client.get(review_url(call))
    with count_queries() as few:
        assert client.get(review_url(call)).status_code == 200
    seed(30)
    with count_queries() as many:
        assert client.get(review_url(call)).status_code == 200
    assert len(many) == len(few)


def test_coordinator_accepts_into_an_allocation_chosen_at_decision_time(app, client, auth, forms):
    boss = coordinator(app)
    call = make_call(app)
    university, open_pool = call.allocations
    other_call = make_call(app)
    application_id, _ = make_application(app, call, allocation=None, product="Chưa phân bổ")
    auth.login(boss.email, boss.password)
    english(forms)
    url = f"/techfest/{call.slug}/review/{application_id}/decide"
    response = forms.post(url, {"decision": "accept"}, form_page=review_url(call))
    assert response.status_code == 400 and "Put the application in an allocation" in response.get_data(as_text=True)
    for bad in (str(other_call.allocations[0]), "abc"):
        response = forms.post(url, {"decision": "accept", "allocation_id": bad}, form_page=review_url(call))
        assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Application, application_id).status == ApplicationStatus.SUBMITTED
    response = forms.post(url, {"decision": "accept", "allocation_id": str(open_pool)}, form_page=review_url(call))
    assert response.status_code == 302
    with app.app_context():
        application = db.session.get(Application, application_id)
        assert (application.status, application.allocation_id) == (ApplicationStatus.ACCEPTED, open_pool)
    assert university != open_pool
