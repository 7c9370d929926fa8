"""The personal page (/me): what one person holds across the domains, in a constant number of queries."""

from __future__ import annotations

from ecosystem.auth.models import Role, User
from ecosystem.events.models import Event
from ecosystem.events.registration import register
from ecosystem.events.registration_checks import AttendeeRequest
from ecosystem.extensions import db
from tests.delegations.review_support import make_application
from tests.delegations.review_support import make_call as make_review_call
from tests.factories import add_club_member, make_club, make_event, make_startup, make_team, make_user


def register_for(app, event, user, ticket_index: int = 0) -> None:
    with app.app_context():
        person = db.session.get(User, user.id)
        ticket_type_id = event.ticket_type_ids[ticket_index]
        register(db.session.get(Event, event.id), person, [AttendeeRequest(person, ticket_type_id)])


def give_everything(app, person, count: int) -> None:
    """`count` startups, clubs (with a team each), registrations and Techfest applications for `person`."""
    call = make_review_call(app, allocations=(("Nhóm mở", 20, 40),))
    for _number in range(count):
        startup = make_startup(app, owner=person)
        make_application(app, call, startup=startup, allocation=call.allocations[0])
        club = make_club(app)
        add_club_member(app, club, person)
        make_team(app, club, members=[person])
        register_for(app, make_event(app, tickets=[{"name": "Vé mời", "capacity": 5}]), person)


def test_the_personal_page_shows_my_startups_clubs_teams_registrations_and_applications(app, client, auth):
    person = make_user(app, roles=(Role.FOUNDER,))
    startup = make_startup(app, owner=person, name="Chè Xanh Của Tôi", is_public=False)
    club = make_club(app, name="CLB Khởi nghiệp ĐH Kỹ thuật")
    add_club_member(app, club, person)
    make_team(app, club, members=[person], name="Nhóm Robot")
    event = make_event(app, title="Đêm Pitching tháng 12")
    register_for(app, event, person)
    call = make_review_call(app, allocations=(("Nhóm mở", 2, 4),))
    make_application(app, call, startup=startup, allocation=call.allocations[0], product="Máy sấy chè")
    other = make_user(app)
    make_startup(app, owner=other, name="Khởi Nghiệp Người Khác")

    assert client.get("/me").status_code == 302  # sign in first
    auth.login(person.email, person.password)
    html = client.get("/me").get_data(as_text=True)
    for shown in ("Chè Xanh Của Tôi", "CLB Khởi nghiệp ĐH Kỹ thuật", "Nhóm Robot", "Đêm Pitching tháng 12",
                  "Máy sấy chè", f'href="/startups/{startup.slug}"'):
        assert shown in html, shown
    assert "/tickets/" in html and "/cancel" in html  # a free seat: its ticket and a way to cancel
    assert "Khởi Nghiệp Người Khác" not in html
    assert 'href="/me"' in html  # the user menu links it

    auth.logout()
    auth.login(other.email, other.password)
    html = client.get("/me").get_data(as_text=True)
    assert "Khởi Nghiệp Người Khác" in html
    for hidden in ("Chè Xanh Của Tôi", "CLB Khởi nghiệp ĐH Kỹ thuật", "Đêm Pitching tháng 12", "Máy sấy chè"):
        assert hidden not in html, hidden


def test_the_personal_page_runs_the_same_number_of_queries_for_one_item_or_many(app, client, auth, count_queries):
    one, many = make_user(app), make_user(app)
    give_everything(app, one, 1)
    give_everything(app, many, 4)
    counts = []
    for person, number in ((one, 1), (many, 4)):
        auth.login(person.email, person.password)
        client.get("/me")  # warm the session
        with count_queries() as statements:
            html = client.get("/me").get_data(as_text=True)
        assert html.count('href="/techfest/applications/') == number
        assert html.count('href="/tickets/') == number
        assert html.count('href="/clubs/') - html.count('href="/clubs/"') == 2 * number  # club and team
        counts.append(len(statements))
        auth.logout()
    assert counts[0] == counts[1], counts


def test_the_privacy_notice_is_public_and_linked_next_to_the_sign_up_consent(client):
    notice = client.get("/privacy")
    assert notice.status_code == 200
    text = notice.get_data(as_text=True)
    assert 'lang="vi"' in text
    for said in ("Stripe", "pitch deck", "CCCD", "yêu cầu xóa", "Sở Khoa học và Công nghệ"):
        assert said in text, said
    sign_up = client.get("/auth/register").get_data(as_text=True)
    consent = sign_up.index('name="accept_terms"')
    link = sign_up.index('href="/privacy"')
    assert 0 < link - consent < 800  # right under the checkbox
    assert 'aria-describedby="accept_terms-hint"' in sign_up and 'id="accept_terms-hint"' in sign_up
