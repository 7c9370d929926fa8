"""The startup pages: registration, profile, editing, verification, deletion, and who may do what."""

from __future__ import annotations

import pytest

from ecosystem.auth.models import Role, User
from ecosystem.extensions import db
from ecosystem.startups.models import MemberRole, Startup, StartupMember
from tests.factories import locality_id, make_admin, make_startup, make_user

HUGE = "Đ" * 10_000


def form_fields(app, **overrides) -> dict:
    values = {
        "name": "Nông sản Đại Từ",
        "tagline": "Rau an toàn từ Đại Từ đến bếp ăn trường học",
        "description": "## Chúng tôi làm gì\n\nKết nối **60 nông hộ** với bếp ăn.\n\n<script>alert(1)</script>",
        "sector": "agritech",
        "stage": "early-revenue",
        "founded_year": "2021",
        "province": "Thái Nguyên",
        "locality_id": str(locality_id(app, "Xã Đại Từ")),
        "locality_text": "",
        "website": "https://nongsandaitu.vn",
        "contact_email": "lienhe@nongsandaitu.vn",
        "contact_phone": "0912 345 678",
        "tax_code": "4601234567",
        "is_public": "y",
    }
    values.update(overrides)
    return {name: value for name, value in values.items() if value is not None}


def startup_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Startup))


def test_a_founder_registers_a_startup_and_sees_its_profile(app, client, auth, forms):
    founder = make_user(app, roles=(Role.FOUNDER,))
    auth.login(founder.email, founder.password)
    response = forms.post("/startups/new", form_fields(app))
    assert response.status_code == 302
    assert response.headers["Location"] == "/startups/nong-san-dai-tu"
    page = client.get("/startups/nong-san-dai-tu")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<title>Nông sản Đại Từ ·" in html
    assert '<meta name="description" content="Rau an toàn từ Đại Từ đến bếp ăn trường học">' in html
    assert "<h3>Chúng tôi làm gì</h3>" in html  # Markdown "##" under the page's "About" h2
    assert "<strong>60 nông hộ</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "Xã Đại Từ, Thái Nguyên" in html
    assert 'href="mailto:lienhe@nongsandaitu.vn"' in html and "0912345678" in html
    assert 'href="/startups/nong-san-dai-tu/edit"' in html
    with app.app_context():
        startup = db.session.scalar(db.select(Startup).where(Startup.slug == "nong-san-dai-tu"))
        assert (startup.founded_year, startup.contact_phone, startup.tax_code) == (2021, "0912345678", "4601234567")


def test_registration_needs_a_confirmed_account(app, client, auth):
    assert client.get("/startups/new").status_code == 302
    assert "/auth/login" in client.get("/startups/new").headers["Location"]
    unconfirmed = make_user(app, confirmed=False)
    auth.login(unconfirmed.email, unconfirmed.password)
    assert client.get("/startups/new").headers["Location"].endswith("/auth/unconfirmed")


def test_a_startup_from_another_province_gives_its_commune_as_text(app, client, auth, forms, english):
    founder = make_user(app, locale="en")
    auth.login(founder.email, founder.password)
    missing = forms.post("/startups/new", form_fields(app, province="Hà Nội", locality_id=""))
    assert missing.status_code == 422
    assert "Please enter the commune or ward (startups outside Thái Nguyên)." in missing.get_data(as_text=True)
    response = forms.post("/startups/new", form_fields(app, province="Hà Nội", locality_id="",
                                                       locality_text="Phường Cầu Giấy"))
    assert response.status_code == 302
    assert "Phường Cầu Giấy, Hà Nội" in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("field, value, message", [
    ("name", HUGE, "A name has at most 120 characters."),
    ("name", "   ", "Please enter the startup"),
    ("tagline", HUGE, "The tagline has at most 200 characters."),
    ("description", "x" * 10_001, "The description has at most 10000 characters."),
    ("sector", "astrology", "Please choose a sector from the list."),
    ("sector", "", "Please choose a sector from the list."),
    ("stage", "unicorn", "Please choose a stage from the list."),
    ("founded_year", "1989", "Enter a year from 1990 to"),
    ("founded_year", "3000", "Enter a year from 1990 to"),
    ("founded_year", "abc", "Enter a year from 1990 to"),
    ("founded_year", "20 21", "Enter a year from 1990 to"),
    ("province", "Atlantis", "Please choose a province from the list."),
    ("locality_id", "", "Please choose the commune or ward from the list."),
    ("locality_id", "abc", "Please choose the commune or ward from the list."),
    ("locality_id", "999999", "Please choose the commune or ward from the list."),
    ("website", "javascript:alert(1)", "The website starts with http:// or https://"),
    ("website", "ftp://example.vn", "The website starts with http:// or https://"),
    ("website", "https://" + "a" * 400 + ".vn", "The website starts with http:// or https://"),
    ("contact_email", "not-an-address", "This is not a valid e-mail address."),
    ("contact_phone", "12345", "This is not a valid Vietnamese phone number."),
    ("contact_phone", "0912 345 678 999 000", "This is not a valid Vietnamese phone number."),
    ("tax_code", "460123456", "A tax code (MST) has 10 digits"),
    ("tax_code", "4601234567-1", "A tax code (MST) has 10 digits"),
    ("tax_code", "46012345678901234", "A tax code (MST) has 10 digits"),
    ("tax_code", "MST4601234", "A tax code (MST) has 10 digits"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(app, client, auth, forms, field, value, message):
    founder = make_user(app, locale="en")
    auth.login(founder.email, founder.password)
    response = forms.post("/startups/new", form_fields(app, **{field: value}))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'id="{field}-error"' in html
    assert startup_count(app) == 0


@pytest.mark.parametrize("value", ["", " ", HUGE, "\x00\x01", "<script>alert(1)</script>", "' OR 1=1 --",
                                   "🙂" * 300, "ｔｅｓｔ"])
def test_hostile_values_in_every_field_never_give_a_500(app, client, auth, forms, value):
    founder = make_user(app)
    auth.login(founder.email, founder.password)
    fields = form_fields(app)
    response = forms.post("/startups/new", {name: value for name in fields})
    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    assert startup_count(app) == 0


def test_the_form_keeps_what_was_typed_after_an_error(app, client, auth, forms):
    founder = make_user(app)
    auth.login(founder.email, founder.password)
    html = forms.post("/startups/new", form_fields(app, tax_code="123")).get_data(as_text=True)
    assert 'value="Nông sản Đại Từ"' in html
    assert '<option selected value="agritech">' in html or 'value="agritech" selected' in html


def test_unknown_profiles_are_404(client):
    assert client.get("/startups/khong-ton-tai").status_code == 404
    assert client.get("/startups/" + "x" * 500).status_code == 404
    assert client.get("/startups/khong-ton-tai/edit").status_code in (302, 404)


def test_hidden_profiles_are_404_for_strangers_and_visible_to_members_and_the_department(app, client, auth):
    hidden = make_startup(app, name="Dự án Bí Mật", is_public=False)
    stranger = make_user(app, roles=(Role.FOUNDER,))
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    admin = make_admin(app)
    assert client.get(f"/startups/{hidden.slug}").status_code == 404
    auth.login(stranger.email, stranger.password)
    for path in ("", "/edit", "/members", "/delete"):
        assert client.get(f"/startups/{hidden.slug}{path}").status_code == 404, path
    for person in (hidden.owner, coordinator, admin):
        auth.logout()
        auth.login(person.email, person.password)
        response = client.get(f"/startups/{hidden.slug}")
        assert response.status_code == 200
        assert "Dự án Bí Mật" in response.get_data(as_text=True)


def test_a_second_founder_cannot_edit_invite_into_manage_or_delete_anothers_startup(app, client, auth, forms):
    ref = make_startup(app, name="Chè Tân Cương Xanh", locality="Xã Tân Cương")
    own = make_startup(app, name="Startup của tôi")
    auth.login(own.owner.email, own.owner.password)
    base = f"/startups/{ref.slug}"
    for path in ("/edit", "/members", "/delete"):
        assert client.get(base + path).status_code == 403, path
    detail_html = client.get(base).get_data(as_text=True)
    assert f'href="{base}/edit"' not in detail_html and f'href="{base}/members"' not in detail_html
    with app.app_context():
        owner_member = db.session.scalar(db.select(StartupMember.id).where(StartupMember.startup_id == ref.id))
    posts = {
        "/edit": form_fields(app, name="Bị chiếm"),
        "/members/invite": {"email": "ke.gian@example.com"},
        f"/members/{owner_member}/remove": {},
        "/invitations/1/revoke": {},
        "/owner": {"member_id": str(owner_member)},
        "/delete": {"confirm": "y"},
        "/verify": {"confirm": "y", "note": "Bị chiếm"},
        "/unverify": {},
    }
    for path, payload in posts.items():
        response = forms.post(base + path, payload, form_page=f"/startups/{own.slug}/edit")
        assert response.status_code == 403, path
    with app.app_context():
        startup = db.session.get(Startup, ref.id)
        assert startup.name == "Chè Tân Cương Xanh" and not startup.is_verified
        assert [(member.user_id, member.role) for member in startup.members] == [(ref.owner.id, MemberRole.OWNER)]


def test_a_cofounder_edits_the_profile_but_does_not_manage_members_or_delete(app, client, auth, forms):
    ref = make_startup(app)
    cofounder = make_user(app)
    with app.app_context():
        from ecosystem.startups.members import add_member

        add_member(db.session.get(Startup, ref.id), db.session.get(User, cofounder.id))
        db.session.commit()
    auth.login(cofounder.email, cofounder.password)
    assert client.get(f"/startups/{ref.slug}/edit").status_code == 200
    assert client.get(f"/startups/{ref.slug}/members").status_code == 403
    assert client.get(f"/startups/{ref.slug}/delete").status_code == 403


def test_only_a_coordinator_verifies_and_the_badge_shows(app, client, auth, forms, english):
    ref = make_startup(app, name="Du lịch Hồ Núi Cốc", locality="Xã Đại Phúc", tax_code="4600111222",
                       contact_phone="0912345678")
    auth.login(ref.owner.email, ref.owner.password)
    assert client.get(f"/startups/{ref.slug}/verify").status_code == 403
    assert forms.post(f"/startups/{ref.slug}/verify", {"confirm": "y"},
                      form_page=f"/startups/{ref.slug}").status_code == 403
    auth.logout()
    coordinator = make_user(app, roles=(Role.COORDINATOR,), locale="en")
    auth.login(coordinator.email, coordinator.password)
    html = client.get(f"/startups/{ref.slug}").get_data(as_text=True)
    assert f'href="/startups/{ref.slug}/verify"' in html and "badge-verified" not in html
    response = forms.post(f"/startups/{ref.slug}/verify", {"confirm": "y"})
    assert response.status_code == 302
    html = client.get(f"/startups/{ref.slug}").get_data(as_text=True)
    assert 'class="badge-verified"' in html and ">Verified<" in html
    assert f'action="/startups/{ref.slug}/unverify"' in html
    assert 'class="badge-verified"' in client.get("/startups/?verified=yes").get_data(as_text=True)
    with app.app_context():
        startup = db.session.get(Startup, ref.id)
        assert startup.verified_by_id == coordinator.id
    forms.post(f"/startups/{ref.slug}/unverify", {}, form_page=f"/startups/{ref.slug}")
    assert "badge-verified" not in client.get(f"/startups/{ref.slug}").get_data(as_text=True)


def test_a_founder_sees_the_verified_name_and_tax_code_read_only_and_cannot_change_them(app, client, auth, forms):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    ref = make_startup(app, name="Chè Tân Cương Xanh", tax_code="4601234567", verified_by=coordinator,
                       locality="Xã Tân Cương")
    owner = ref.owner
    with app.app_context():
        db.session.get(User, owner.id).locale = "en"
        db.session.commit()
    auth.login(owner.email, owner.password)
    edit = f"/startups/{ref.slug}/edit"
    html = client.get(edit).get_data(as_text=True)
    assert 'id="name" maxlength="120" name="name" readonly' in html or (
        'name="name"' in html and "readonly" in html.split('name="name"')[1].split(">")[0]
    )
    assert "Verified by the department: ask a coordinator to change it." in html
    fields = form_fields(app, name="Chè Tân Cương Xanh", tax_code="4601234567",
                         locality_id=str(locality_id(app, "Xã Tân Cương")))
    refused = forms.post(edit, {**fields, "name": "Tên Khác"})
    assert refused.status_code == 422
    assert "only the department can change its name" in refused.get_data(as_text=True)
    refused = forms.post(edit, {**fields, "tax_code": "4609999999"})
    assert refused.status_code == 422
    assert "only the department can change its tax code" in refused.get_data(as_text=True)
    accepted = forms.post(edit, {**fields, "tagline": "Chè ngon nhất Tân Cương"})
    assert accepted.status_code == 302
    with app.app_context():
        startup = db.session.get(Startup, ref.id)
        assert (startup.name, startup.tax_code, startup.tagline) == (
            "Chè Tân Cương Xanh", "4601234567", "Chè ngon nhất Tân Cương")
    auth.logout()
    auth.login(coordinator.email, coordinator.password)
    assert "readonly" not in client.get(edit).get_data(as_text=True)
    assert forms.post(edit, {**fields, "name": "Chè Tân Cương Đỏ", "tax_code": "4609999999-001"}).status_code == 302
    with app.app_context():
        assert db.session.get(Startup, ref.id).name == "Chè Tân Cương Đỏ"


def test_hiding_a_profile_takes_it_off_the_list(app, client, auth, forms):
    ref = make_startup(app, name="Ẩn Mình", locality="Xã Đại Từ")
    auth.login(ref.owner.email, ref.owner.password)
    fields = form_fields(app, name="Ẩn Mình", tax_code="", is_public=None)  # unticked box: not sent
    assert forms.post(f"/startups/{ref.slug}/edit", fields).status_code == 302
    auth.logout()
    assert client.get(f"/startups/{ref.slug}").status_code == 404
    assert ref.slug not in client.get("/startups/").get_data(as_text=True)


def test_delete_asks_for_confirmation_and_only_the_owner_deletes(app, client, auth, forms, english):
    ref = make_startup(app, name="Xoá Đi")
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    auth.login(coordinator.email, coordinator.password)
    assert client.get(f"/startups/{ref.slug}/delete").status_code == 403  # coordinators verify, owners delete
    auth.logout()
    auth.login(ref.owner.email, ref.owner.password)
    english()
    page = client.get(f"/startups/{ref.slug}/delete")
    assert page.status_code == 200 and "cannot be undone" in page.get_data(as_text=True)
    unconfirmed = forms.post(f"/startups/{ref.slug}/delete", {})
    assert unconfirmed.status_code == 422
    assert "Please tick the box to confirm." in unconfirmed.get_data(as_text=True)
    assert startup_count(app) == 1
    response = forms.post(f"/startups/{ref.slug}/delete", {"confirm": "y"})
    assert response.status_code == 302 and response.headers["Location"] == "/startups/"
    assert startup_count(app) == 0
    assert client.get(f"/startups/{ref.slug}").status_code == 404


def test_a_startup_that_applied_to_a_delegation_is_kept(app, client, auth, forms, english):
    from ecosystem.delegations.models import Application, ApplicationStatus, Category
    from tests.factories import make_call

    ref = make_startup(app, name="Đi Techfest")
    call = make_call(app)
    with app.app_context():
        db.session.add(Application(call_id=call.id, startup_id=ref.id, product_name="Máy sấy",
                                   category=Category.BOOTH, status=ApplicationStatus.DRAFT))
        db.session.commit()
    auth.login(ref.owner.email, ref.owner.password)
    english()
    response = forms.post(f"/startups/{ref.slug}/delete", {"confirm": "y"})
    assert response.status_code == 409
    assert "applied to a Techfest delegation: the profile is kept" in response.get_data(as_text=True)
    assert startup_count(app) == 1


def test_the_list_shows_cards_with_a_count_and_filters(app, client, english):
    make_startup(app, name="Chè Tân Cương Xanh", tagline="Chè sạch", sector="food-ocop", locality="Xã Tân Cương")
    english()
    html = client.get("/startups/").get_data(as_text=True)
    assert "1 startup found" in html
    assert "Chè Tân Cương Xanh" in html and "Chè sạch" in html and "Food and OCOP products" in html
    assert "Xã Tân Cương, Thái Nguyên" in html
    for control in ('<label for="q">', '<label for="sector">', '<label for="stage">', '<label for="locality">',
                    '<label for="verified">', '<label for="sort">'):
        assert control in html
    assert "<title>Startups of Thai Nguyen ·" in html
    assert "2 startups found" not in html
