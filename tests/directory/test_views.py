"""Directory pages: list, detail, suggestions and their review, curation, startup links, hostile input."""

import io

import pytest
from PIL import Image

from ecosystem.auth.models import Role
from ecosystem.clubs.models import Club
from ecosystem.core.uploads import stored_path
from ecosystem.directory.models import Component, ComponentKind, ComponentService, ComponentStatus
from ecosystem.directory.services import ComponentData, DirectoryError, create_component, update_component
from ecosystem.extensions import db
from ecosystem.places.models import Locality
from tests.factories import locality_id, make_component, make_startup, make_user
from tests.smtp_server import text_body

HUGE = "Đ" * 10_000
HARNESS_STATEMENTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def english(forms) -> None:
    forms.post("/language", {"lang": "en"}, form_page="/")


def png_upload(name: str = "logo.png", size=(300, 200)) -> tuple[io.BytesIO, str]:
    buffer = io.BytesIO()
    Image.new("RGB", size, (11, 93, 59)).save(buffer, "PNG")
    buffer.seek(0)
    return buffer, name


def component_count(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Component))


def valid_fields(**changes) -> dict:
    return {"name": "Vườn ươm Xanh", "kind": "incubator", "description": "Ươm tạo **nông nghiệp**",
            "services": "ươm tạo, cố vấn", "province": "Thái Nguyên", "locality_id": "", "address": "",
            "website": "", "contact_email": "", "contact_phone": "", **changes}


@pytest.fixture
def coordinator(app):
    return make_user(app, roles=(Role.COORDINATOR,), locale="en")


@pytest.fixture
def member(app):
    return make_user(app, locale="en")


# --- the public list and page ---------------------------------------------------------------


def test_list_searches_without_accents_and_shows_cards(app, client, forms):
    english(forms)
    make_component(app, name="Trường Đại học Nông Lâm", kind=ComponentKind.UNIVERSITY,
                   services=["Chuyển giao công nghệ"], locality_id=locality_id(app, "Phường Quyết Thắng"))
    make_component(app, name="Quỹ Đầu tư Xanh", kind=ComponentKind.INVESTOR)
    page = client.get("/directory/?q=dai+hoc+nong+lam").get_data(as_text=True)
    assert "Trường Đại học Nông Lâm" in page and "Quỹ Đầu tư Xanh" not in page
    assert "1 component found." in page
    assert "University or college" in page and "Chuyển giao công nghệ" in page and "Phường Quyết Thắng" in page
    assert "<title>Ecosystem directory ·" in page and '<meta name="description" content="Incubators' in page
    everything = client.get("/directory/").get_data(as_text=True)
    assert "2 components found." in everything
    for hostile in ("\x00", "dai\x00hoc", "🙂" * 50, "' OR 1=1 --", "%", "_"):
        response = client.get("/directory/", query_string={"q": hostile})
        assert response.status_code == 200, hostile


def test_list_filters_by_kind_service_and_commune(app, client):
    ward = locality_id(app, "Xã Tân Cương")
    make_component(app, name="Vườn ươm Chè", services=["Ươm tạo"], locality_id=ward)
    make_component(app, name="Trường Cao đẳng", kind=ComponentKind.UNIVERSITY, services=["Đào tạo"])
    make_component(app, name="Báo Khởi nghiệp", kind=ComponentKind.MEDIA, services=["Truyền thông", "Ươm tạo"])

    def listed(**args) -> set[str]:
        body = client.get("/directory/", query_string=args).get_data(as_text=True)
        return {name for name in ("Vườn ươm Chè", "Trường Cao đẳng", "Báo Khởi nghiệp") if name in body}

    assert listed(kind="university") == {"Trường Cao đẳng"}
    assert listed(service="uom-tao") == {"Vườn ươm Chè", "Báo Khởi nghiệp"}
    assert listed(locality=str(ward)) == {"Vườn ươm Chè"}
    assert listed(kind="media", service="uom-tao") == {"Báo Khởi nghiệp"}
    page = client.get("/directory/", query_string={"service": "uom-tao"}).get_data(as_text=True)
    assert '<option value="uom-tao" selected>' in page


@pytest.mark.parametrize(
    "args, message",
    [
        ({"page": "-1"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"per_page": "100000"}, "per_page"),
        ({"sort": "password"}, "password"),
        ({"kind": "spaceship"}, "spaceship"),
        ({"service": "khong-co-dau"}, "khong-co-dau"),
        ({"locality": "abc"}, "locality"),
        ({"locality": "²"}, "locality"),
        ({"locality": "424242"}, "locality"),
        ({"q": HUGE}, "200"),
    ],
)
def test_bad_list_parameters_are_a_400_with_a_message(app, client, forms, args, message):
    english(forms)
    response = client.get("/directory/", query_string=args)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_list_runs_the_same_number_of_queries_for_5_and_500_components(app, client, count_queries):
    ward = locality_id(app, "Xã Đại Từ")

    def add(count: int) -> None:
        with app.app_context():
            for number in range(count):
                create_component(ComponentData(name=f"Thành phần {number}", kind="incubator", locality_id=ward,
                                               services=["Ươm tạo", f"Dịch vụ {number % 7}"]), None)

    def queries(url: str) -> int:
        client.get(url)  # warm-up
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len([statement for statement in statements if not statement.startswith(HARNESS_STATEMENTS)])

    urls = ["/directory/", "/directory/?q=thanh+phan&kind=incubator&service=uom-tao&per_page=100",
            f"/directory/?locality={ward}&sort=newest&page=2&per_page=3"]
    add(5)
    few = [queries(url) for url in urls]
    add(495)
    many = [queries(url) for url in urls]
    assert few == many
    # count, page, its services, its localities, the two facet option lists (+1 per checked facet)
    assert many == [6, 7, 7]


def test_detail_shows_description_services_contact_and_404_for_unknown(app, client, forms):
    english(forms)
    ref = make_component(app, name="Gia Sàng Hub", kind=ComponentKind.COWORKING, services=["Phòng họp"],
                         description="Mở cửa **cả tuần**.\n\n<script>alert(1)</script>", address="Số 5 đường Z",
                         website="https://giasang.example", contact_email="hi@giasang.example",
                         contact_phone="0912345678")
    page = client.get(f"/directory/{ref.slug}").get_data(as_text=True)
    assert "<h1>Gia Sàng Hub</h1>" in page and "<strong>cả tuần</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert 'href="/directory/?service=phong-hop"' in page
    assert "Số 5 đường Z" in page and 'href="https://giasang.example"' in page and "mailto:hi@giasang.example" in page
    assert "Co-working space" in page and "<title>Gia Sàng Hub ·" in page
    assert client.get("/directory/khong-ton-tai").status_code == 404
    assert client.get("/directory/" + "a" * 500).status_code == 404
    for hostile in ("%00", "d%C3%A0i", "a%00b", "..%2F..%2Fetc", "ĐẠI"):
        assert client.get(f"/directory/{hostile}").status_code == 404, hostile


# --- suggestions and their review -------------------------------------------------------------


def test_suggestion_waits_for_review_then_approval_mails_the_suggester(
        app, client, auth, forms, member, coordinator, mailbox, deliver_mail):
    auth.login(member.email, member.password)
    response = forms.post("/directory/suggest", valid_fields(name="Cà phê Khởi nghiệp", kind="coworking"))
    assert response.status_code == 302
    slug = response.headers["Location"].rsplit("/", 1)[1]
    page = client.get(f"/directory/{slug}").get_data(as_text=True)
    assert "waiting for review" in page
    with app.app_context():
        component = db.session.scalar(db.select(Component).where(Component.slug == slug))
        assert component.status == ComponentStatus.PENDING and component.suggested_by_id == member.id

    # Invisible to the public and to other members.
    auth.logout()
    assert client.get(f"/directory/{slug}").status_code == 404
    assert "Cà phê Khởi nghiệp" not in client.get("/directory/?q=ca+phe").get_data(as_text=True)
    other = make_user(app)
    auth.login(other.email, other.password)
    assert client.get(f"/directory/{slug}").status_code == 404
    auth.logout()

    auth.login(coordinator.email, coordinator.password)
    queue = client.get("/directory/review").get_data(as_text=True)
    assert "Cà phê Khởi nghiệp" in queue
    assert "Suggestions to review (1)" in client.get("/directory/").get_data(as_text=True)
    with app.app_context():
        prefix = f"c{component.id}"
    response = forms.post(f"/directory/{slug}/review", {f"{prefix}-approve": "Approve", f"{prefix}-note": "Chào mừng!"},
                          form_page="/directory/review")
    assert response.status_code == 302
    auth.logout()
    assert client.get(f"/directory/{slug}").status_code == 200
    assert "Cà phê Khởi nghiệp" in client.get("/directory/?q=ca+phe").get_data(as_text=True)

    deliver_mail()
    [message] = mailbox.wait_for(member.email)
    assert "Cà phê Khởi nghiệp" in message["Subject"]
    body = text_body(message)
    assert f"/directory/{slug}" in body and "Chào mừng!" in body


def test_rejection_needs_a_note_and_mails_it(app, client, auth, forms, member, coordinator, mailbox, deliver_mail):
    pending = make_component(app, name="Ý tưởng chưa rõ", status="pending", suggested_by=member.id)
    prefix = f"c{pending.id}"
    auth.login(coordinator.email, coordinator.password)
    response = forms.post(f"/directory/{pending.slug}/review", {f"{prefix}-reject": "Reject"},
                          form_page="/directory/review")
    assert response.status_code == 422
    assert "why the suggestion is not accepted" in response.get_data(as_text=True)
    response = forms.post(f"/directory/{pending.slug}/review", {f"{prefix}-note": HUGE, f"{prefix}-reject": "Reject"},
                          form_page="/directory/review")
    assert response.status_code == 422 and "at most 500 characters" in response.get_data(as_text=True)
    response = forms.post(f"/directory/{pending.slug}/review", {f"{prefix}-note": "Thiếu địa chỉ."},
                          form_page="/directory/review")
    assert response.status_code == 422 and "approve or reject" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Component, pending.id).status == ComponentStatus.PENDING
    response = forms.post(f"/directory/{pending.slug}/review",
                          {f"{prefix}-note": "Thiếu địa chỉ và người liên hệ.", f"{prefix}-reject": "Reject"},
                          form_page="/directory/review")
    assert response.status_code == 302
    # A second decision on the same suggestion is refused.
    again = forms.post(f"/directory/{pending.slug}/review", {f"{prefix}-approve": "Approve"},
                       form_page="/directory/review")
    assert again.status_code == 422 and "already reviewed" in again.get_data(as_text=True)
    deliver_mail()
    [message] = mailbox.wait_for(member.email)
    assert "Ý tưởng chưa rõ" in message["Subject"]
    assert "Thiếu địa chỉ và người liên hệ." in text_body(message)
    auth.logout()
    assert client.get(f"/directory/{pending.slug}").status_code == 404
    auth.login(member.email, member.password)
    page = client.get(f"/directory/{pending.slug}").get_data(as_text=True)
    assert "was not accepted" in page and "Thiếu địa chỉ và người liên hệ." in page


def test_a_member_can_neither_approve_nor_edit_nor_create(app, client, auth, forms, member):
    suggester = make_user(app)
    pending = make_component(app, name="Gợi ý của người khác", status="pending", suggested_by=suggester.id)
    approved = make_component(app, name="Vườn ươm Đã duyệt")
    prefix = f"c{pending.id}"
    auth.login(member.email, member.password)
    token_page = "/directory/suggest"
    assert client.get("/directory/review").status_code == 403
    assert forms.post(f"/directory/{pending.slug}/review", {f"{prefix}-approve": "Approve"},
                      form_page=token_page).status_code == 403
    assert client.get(f"/directory/{approved.slug}/edit").status_code == 403
    assert forms.post(f"/directory/{approved.slug}/edit", valid_fields(name="Đã sửa"),
                      form_page=token_page).status_code == 403
    assert forms.post(f"/directory/{approved.slug}/delete", {}, form_page=token_page).status_code == 403
    assert client.get("/directory/new").status_code == 403
    assert forms.post("/directory/new", valid_fields(), form_page=token_page).status_code == 403
    assert client.get(f"/directory/{approved.slug}/startups").status_code == 403
    # Even the suggester cannot approve or edit their own suggestion.
    auth.logout()
    auth.login(suggester.email, suggester.password)
    assert client.get(f"/directory/{pending.slug}").status_code == 200
    assert forms.post(f"/directory/{pending.slug}/review", {f"{prefix}-approve": "Approve"},
                      form_page=token_page).status_code == 403
    assert client.get(f"/directory/{pending.slug}/edit").status_code == 403
    with app.app_context():
        assert db.session.get(Component, pending.id).status == ComponentStatus.PENDING
        assert db.session.get(Component, approved.id).name == "Vườn ươm Đã duyệt"


def test_suggesting_needs_a_confirmed_account(app, client, auth, forms):
    assert client.get("/directory/suggest").status_code == 302
    assert "/auth/login" in client.get("/directory/suggest").headers["Location"]
    unconfirmed = make_user(app, confirmed=False)
    auth.login(unconfirmed.email, unconfirmed.password)
    assert "/auth/unconfirmed" in client.get("/directory/suggest").headers["Location"]


# --- curation by coordinators -----------------------------------------------------------------


def test_coordinator_creates_with_a_logo_edits_and_deletes(app, client, auth, forms, coordinator):
    ward = locality_id(app, "Phường Gia Sàng")
    auth.login(coordinator.email, coordinator.password)
    response = forms.post("/directory/new", {**valid_fields(locality_id=str(ward), website="vuonuom.example.vn",
                                                            contact_phone="0912 345 678"),
                                             "logo": png_upload()},
                          content_type="multipart/form-data")
    assert response.status_code == 302
    slug = response.headers["Location"].rsplit("/", 1)[1]
    assert slug == "vuon-uom-xanh"
    with app.app_context():
        component = db.session.scalar(db.select(Component).where(Component.slug == slug))
        assert component.status == ComponentStatus.APPROVED and component.logo
        assert component.website == "https://vuonuom.example.vn" and component.locality_id == ward
        logo = component.logo
        assert stored_path("logos", logo) is not None
    page = client.get(f"/directory/{slug}").get_data(as_text=True)
    assert f'src="/media/logos/{logo}"' in page and 'alt="Logo of Vườn ươm Xanh"' in page

    edit_page = client.get(f"/directory/{slug}/edit").get_data(as_text=True)
    assert 'value="cố vấn, ươm tạo"' in edit_page and 'enctype="multipart/form-data"' in edit_page
    response = forms.post(f"/directory/{slug}/edit", {**valid_fields(name="Vườn ươm Xanh Thái Nguyên",
                                                                     services="phòng họp"), "remove_logo": "y"},
                          content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/directory/{slug}")
    with app.app_context():
        component = db.session.scalar(db.select(Component).where(Component.slug == slug))
        assert component.name == "Vườn ươm Xanh Thái Nguyên" and component.logo is None
        assert [service.slug for service in component.services] == ["phong-hop"]
        assert stored_path("logos", logo) is None  # the old file is gone

    response = forms.post(f"/directory/{slug}/delete", {}, form_page=f"/directory/{slug}")
    assert response.status_code == 302
    assert client.get(f"/directory/{slug}").status_code == 404
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ComponentService)) == 0


def test_a_university_with_clubs_cannot_be_deleted(app, client, auth, forms, coordinator):
    university = make_component(app, name="Trường Đại học Khoa học", kind=ComponentKind.UNIVERSITY)
    with app.app_context():
        db.session.add(Club(slug="clb-khoi-nghiep", name="CLB Khởi nghiệp", university_id=university.id,
                            search_name="clb khoi nghiep", search_text="clb khoi nghiep"))
        db.session.commit()
    auth.login(coordinator.email, coordinator.password)
    response = forms.post(f"/directory/{university.slug}/delete", {}, form_page=f"/directory/{university.slug}")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "cannot be deleted" in page
    assert client.get(f"/directory/{university.slug}").status_code == 200


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": ""}, "Please enter the name."),
        ({"name": HUGE}, "at most 160 characters"),
        ({"name": "🙂" * 300}, "at most 160 characters"),
        ({"kind": "spaceship"}, "Please choose a kind from the list."),
        ({"kind": ""}, "Please choose a kind from the list."),
        ({"website": "javascript:alert(1)"}, "Enter a web address"),
        ({"website": "http://"}, "Enter a web address"),
        ({"website": HUGE}, "at most 300 characters"),
        ({"contact_email": "khong-phai-email"}, "not a valid e-mail address"),
        ({"contact_phone": "abc"}, "not a valid Vietnamese phone number"),
        ({"contact_phone": HUGE}, "not a valid Vietnamese phone number"),
        ({"province": "Atlantis"}, "Please choose a province from the list."),
        ({"province": "Hà Nội", "locality_id": "LOCALITY"}, "only for Thái Nguyên"),
        ({"locality_id": "999999"}, "Please choose a commune or ward from the list."),
        ({"locality_id": "abc"}, "Please choose a commune or ward from the list."),
        ({"services": HUGE}, "at most 1000 characters"),
        ({"services": "x" * 61}, "at most 60 characters"),
        ({"description": "x" * 10_001}, "at most 10000 characters"),
        ({"address": HUGE}, "at most 255 characters"),
    ],
)
def test_bad_input_on_the_create_form_is_a_422_with_a_message_and_nothing_written(
        app, client, auth, forms, coordinator, changes, message):
    ward = locality_id(app, "Xã Đại Từ")
    changes = {key: str(ward) if value == "LOCALITY" else value for key, value in changes.items()}
    auth.login(coordinator.email, coordinator.password)
    response = forms.post("/directory/new", valid_fields(**changes), content_type="multipart/form-data")
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert 'class="error"' in body and message in body
    assert component_count(app) == 0


@pytest.mark.parametrize(
    "payload, filename",
    [
        (b"just text pretending to be a .png", "logo.png"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "logo.svg"),
        (b"GIF89a" + b"\x00" * 50, "logo.gif"),
    ],
)
def test_a_fake_image_is_refused_on_suggestion_and_creation(app, client, auth, forms, member, coordinator,
                                                            payload, filename):
    for user, url in ((member, "/directory/suggest"), (coordinator, "/directory/new")):
        auth.login(user.email, user.password)
        response = forms.post(url, {**valid_fields(), "logo": (io.BytesIO(payload), filename)},
                              content_type="multipart/form-data")
        assert response.status_code == 422
        assert "Only PNG, JPEG or WebP images are accepted." in response.get_data(as_text=True)
        auth.logout()
    assert component_count(app) == 0


def test_hostile_values_in_every_field_never_cause_a_500(app, client, auth, forms, coordinator):
    target = make_component(app, name="Mục tiêu")
    auth.login(coordinator.email, coordinator.password)
    fields = list(valid_fields())
    for value in ["", " ", HUGE, "\x00\x01\x02", "<script>alert(1)</script>", "' OR 1=1 --", "🙂" * 300, "ｔｅｓｔ",
                  "²", "-1"]:
        for url in ("/directory/new", "/directory/suggest", f"/directory/{target.slug}/edit"):
            response = forms.post(url, {field: value for field in fields}, content_type="multipart/form-data")
            assert response.status_code in (302, 422), (url, value[:10])
        response = forms.post(f"/directory/{target.slug}/startups", {"startup_id": value},
                              form_page=f"/directory/{target.slug}/startups")
        assert 400 <= response.status_code < 500
        assert client.get(f"/directory/{target.slug}/startups", query_string={"q": value}).status_code == 200
    with app.app_context():
        assert db.session.scalar(db.select(Component.name).where(Component.id == target.id)) == "Mục tiêu"


# --- supported startups -----------------------------------------------------------------------


def test_linked_startups_show_only_public_ones_to_the_public(app, client, auth, forms, coordinator):
    incubator = make_component(app, name="Vườn ươm Liên kết")
    shown = make_startup(app, name="Nông sản Đại Từ")
    hidden = make_startup(app, name="Dự án Bí mật", is_public=False)
    auth.login(coordinator.email, coordinator.password)
    search = client.get(f"/directory/{incubator.slug}/startups?q=nong+san+dai+tu").get_data(as_text=True)
    assert "Nông sản Đại Từ" in search
    for startup in (shown, hidden):
        response = forms.post(f"/directory/{incubator.slug}/startups", {"startup_id": str(startup.id)},
                              form_page=f"/directory/{incubator.slug}/startups")
        assert response.status_code == 302
    again = forms.post(f"/directory/{incubator.slug}/startups", {"startup_id": str(shown.id)},
                       form_page=f"/directory/{incubator.slug}/startups")
    assert again.status_code == 422 and "already linked" in again.get_data(as_text=True)
    unknown = forms.post(f"/directory/{incubator.slug}/startups", {"startup_id": "999999"},
                         form_page=f"/directory/{incubator.slug}/startups")
    assert unknown.status_code == 422 and "does not exist" in unknown.get_data(as_text=True)
    page = client.get(f"/directory/{incubator.slug}").get_data(as_text=True)
    assert "Nông sản Đại Từ" in page and "Dự án Bí mật" in page and "hidden profile" in page
    assert f'href="/startups/{shown.slug}"' in page
    auth.logout()

    public_page = client.get(f"/directory/{incubator.slug}").get_data(as_text=True)
    assert "Nông sản Đại Từ" in public_page and "Dự án Bí mật" not in public_page

    auth.login(coordinator.email, coordinator.password)
    response = forms.post(f"/directory/{incubator.slug}/startups/{shown.id}/remove", {},
                          form_page=f"/directory/{incubator.slug}/startups")
    assert response.status_code == 302
    with app.app_context():
        component = db.session.get(Component, incubator.id)
        assert [startup.id for startup in component.startups] == [hidden.id]


def test_an_edit_keeps_a_ward_retired_since_but_nobody_may_choose_it_anew(app, client, auth, forms, coordinator):
    retired, active = locality_id(app, "Phường Gia Sàng"), locality_id(app, "Phường Quyết Thắng")
    kept = make_component(app, name="Vườn ươm Gia Sàng", province="Thái Nguyên", locality_id=retired)
    other = make_component(app, name="Vườn ươm Quyết Thắng", province="Thái Nguyên", locality_id=active)
    with app.app_context():
        db.session.get(Locality, retired).is_active = False
        db.session.commit()
    auth.login(coordinator.email, coordinator.password)
    edit_page = client.get(f"/directory/{kept.slug}/edit").get_data(as_text=True)
    assert "Phường Gia Sàng (no longer in use)" in edit_page
    response = forms.post(f"/directory/{kept.slug}/edit",
                          valid_fields(name="Vườn ươm Gia Sàng mới", locality_id=str(retired)),
                          content_type="multipart/form-data")
    assert response.status_code == 302
    response = forms.post(f"/directory/{other.slug}/edit",
                          valid_fields(name="Vườn ươm Quyết Thắng", locality_id=str(retired)),
                          content_type="multipart/form-data")
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Component, kept.id).name == "Vườn ươm Gia Sàng mới"
        assert db.session.get(Component, kept.id).locality_id == retired
        assert db.session.get(Component, other.id).locality_id == active


def test_the_service_keeps_a_retired_ward_only_for_the_component_that_has_it(app):
    retired = locality_id(app, "Phường Gia Sàng")
    kept = make_component(app, name="Quỹ Gia Sàng", province="Thái Nguyên", locality_id=retired)
    with app.app_context():
        db.session.get(Locality, retired).is_active = False
        db.session.commit()
        component = db.session.get(Component, kept.id)
        update_component(component, ComponentData(name="Quỹ Gia Sàng 2", kind="investor", province="Thái Nguyên",
                                                  locality_id=retired))
        db.session.commit()
        assert db.session.get(Component, kept.id).locality_id == retired
        with pytest.raises(DirectoryError) as refused:
            create_component(ComponentData(name="Quỹ mới", kind="investor", province="Thái Nguyên",
                                           locality_id=retired), None)
        assert refused.value.field == "locality_id"
