"""Directory services: slugs, search columns, search and facets, visibility, the clubs' lookups."""

import io
import threading

import pytest
from flask_babel import force_locale

from ecosystem.auth.models import Role, User
from ecosystem.core.listing import BadListQuery, parse_list_query
from ecosystem.directory import queries, services
from ecosystem.directory.models import Component, ComponentKind, ComponentStatus
from ecosystem.directory.services import ComponentData, DirectoryError
from ecosystem.extensions import db
from tests.concurrency import race
from tests.factories import locality_id, make_component, make_user


def list_query(**args):
    return parse_list_query(
        args, sorts=queries.COMPONENT_SORTS, default_sort=queries.DEFAULT_COMPONENT_SORT,
        facets=queries.COMPONENT_FACETS,
    )


def names(page) -> list[str]:
    return [component.name for component in page.items]


def test_slugs_are_folded_unique_and_never_shadow_a_route(app):
    first = make_component(app, name="Vườn ươm Đại Từ")
    second = make_component(app, name="Vườn ươm  Đại Từ")
    third = make_component(app, name="VƯỜN ƯƠM ĐẠI TỪ")
    assert (first.slug, second.slug, third.slug) == ("vuon-uom-dai-tu", "vuon-uom-dai-tu-2", "vuon-uom-dai-tu-3")
    assert make_component(app, name="Review").slug == "review-2"
    assert make_component(app, name="New").slug == "new-2"
    assert make_component(app, name="🙂").slug == "muc"


def test_services_are_tags_with_folded_slugs_and_search_columns_are_kept(app):
    ref = make_component(app, name="Không gian Sáng tạo", services=["Ươm tạo", " ươm   tạo ", "Đầu tư thiên thần", ""],
                         description="Hỗ trợ **nhóm trẻ**", address="Số 1 đường Hoàng Văn Thụ")
    with app.app_context():
        component = db.session.get(Component, ref.id)
        assert [(service.slug, service.name) for service in component.services] == [
            ("dau-tu-thien-than", "Đầu tư thiên thần"), ("uom-tao", "Ươm tạo"),
        ]
        assert component.search_name == "khong gian sang tao"
        assert "hoang van thu" in component.search_text and "dau tu thien than" in component.search_text
        services.update_component(component, ComponentData(name="Không gian Sáng tạo Mới", kind="coworking",
                                                           services=["Phòng họp", "ươm tạo"]))
        component = db.session.get(Component, ref.id)
        assert component.slug == ref.slug  # links keep working after a rename
        assert [service.slug for service in component.services] == ["phong-hop", "uom-tao"]
        assert component.search_name == "khong gian sang tao moi"
        assert "dau tu" not in component.search_text


def test_search_is_accent_and_case_insensitive_and_ranks_name_matches_first(app):
    make_component(app, name="Hợp tác xã Chè", description="Đối tác của Trường Đại học Nông Lâm từ lâu.")
    make_component(app, name="Trường Đại học Nông Lâm", kind=ComponentKind.UNIVERSITY)
    make_component(app, name="Nông Lâm và Đại học mở", kind=ComponentKind.UNIVERSITY)
    make_component(app, name="Quỹ Đầu tư Xanh", kind=ComponentKind.INVESTOR)
    with app.app_context():
        found = names(queries.search_components(list_query(q="dai hoc nong lam")))
        assert found == ["Trường Đại học Nông Lâm", "Nông Lâm và Đại học mở", "Hợp tác xã Chè"]
        assert names(queries.search_components(list_query(q="ĐẠI HỌC NÔNG LÂM")))[0] == "Trường Đại học Nông Lâm"
        assert names(queries.search_components(list_query(q="dau tu"))) == ["Quỹ Đầu tư Xanh"]
        # Kind words in Vietnamese find the kind even when the name does not say it.
        assert names(queries.search_components(list_query(q="quy dau tu"))) == ["Quỹ Đầu tư Xanh"]
        assert names(queries.search_components(list_query(q="100% _x"))) == []
        by_name = names(queries.search_components(list_query(sort="name")))
        assert by_name == sorted(by_name, key=lambda name: services.fold(name))
        newest = names(queries.search_components(list_query(sort="newest")))
        assert newest[0] == "Quỹ Đầu tư Xanh"


def test_facets_kind_service_and_locality(app):
    dai_tu, tan_cuong = locality_id(app, "Xã Đại Từ"), locality_id(app, "Xã Tân Cương")
    make_component(app, name="Vườn ươm A", services=["Ươm tạo", "Cố vấn"], locality_id=dai_tu)
    make_component(app, name="Vườn ươm B", services=["Cố vấn"], locality_id=tan_cuong)
    make_component(app, name="Trường C", kind=ComponentKind.UNIVERSITY, services=["Đào tạo"], locality_id=dai_tu)
    with app.app_context():
        assert names(queries.search_components(list_query(kind="university"))) == ["Trường C"]
        assert names(queries.search_components(list_query(service="co-van"))) == ["Vườn ươm A", "Vườn ươm B"]
        assert names(queries.search_components(list_query(locality=str(dai_tu)))) == ["Trường C", "Vườn ươm A"]
        assert names(queries.search_components(
            list_query(kind="incubator", service="co-van", locality=str(tan_cuong)))) == ["Vườn ươm B"]
        assert [option.value for option in queries.service_tag_options()] == ["co-van", "dao-tao", "uom-tao"]
        assert {option.label for option in queries.locality_options()} == {"Xã Đại Từ", "Xã Tân Cương"}
        for bad in ({"kind": "spaceship"}, {"service": "khong-co"}, {"service": "Ươm tạo"}, {"locality": "abc"},
                    {"locality": "99999999"}, {"sort": "password"}, {"page": "-1"}, {"page": "abc"}):
            with pytest.raises(BadListQuery):
                list_query(**bad)


def test_pending_and_rejected_components_stay_out_of_public_reads(app):
    member = make_user(app)
    approved = make_component(app, name="Đã duyệt", kind=ComponentKind.UNIVERSITY)
    pending = make_component(app, name="Đang chờ", kind=ComponentKind.UNIVERSITY, status="pending",
                             suggested_by=member.id, services=["Bí mật"])
    rejected = make_component(app, name="Bị từ chối", kind=ComponentKind.UNIVERSITY, status="rejected",
                              suggested_by=member.id)
    with app.app_context():
        assert names(queries.search_components(list_query())) == ["Đã duyệt"]
        assert queries.public_component(approved.slug).name == "Đã duyệt"
        assert queries.public_component(pending.slug) is None
        assert queries.public_component(rejected.slug) is None
        assert [option.value for option in queries.service_tag_options()] == []
        assert [component.name for component in queries.universities()] == ["Đã duyệt"]
        assert queries.get_university(pending.id) is None
        assert [component.name for component in queries.pending_suggestions()] == ["Đang chờ"]
        assert queries.pending_count() == 1


def test_universities_for_the_clubs_are_approved_universities_by_name(app):
    make_component(app, name="Trường Đại học Y Dược", kind=ComponentKind.UNIVERSITY)
    agri = make_component(app, name="Trường Đại học Nông Lâm", kind=ComponentKind.UNIVERSITY)
    incubator = make_component(app, name="Vườn ươm Đại học", kind=ComponentKind.INCUBATOR)
    with app.app_context():
        assert [component.name for component in queries.universities()] == [
            "Trường Đại học Nông Lâm", "Trường Đại học Y Dược",
        ]
        assert queries.get_university(agri.id).name == "Trường Đại học Nông Lâm"
        assert queries.get_university(incubator.id) is None
        assert queries.get_university(999_999) is None
        assert queries.get_university(None) is None


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"name": "  "}, "name"),
        ({"name": "Đ" * 10_000}, "name"),
        ({"kind": "spaceship"}, "kind"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"website": "ftp://example.vn/x"}, "website"),
        ({"website": "https://localhost"}, "website"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"province": "Atlantis"}, "province"),
        ({"services": ["x" * 61]}, "services"),
        ({"services": [f"dịch vụ {number}" for number in range(13)]}, "services"),
        ({"description": "x" * 10_001}, "description"),
    ],
)
def test_the_service_refuses_bad_data_and_writes_nothing(app, changes, field):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    with app.app_context():
        data = ComponentData(**{"name": "Vườn ươm", "kind": "incubator", **changes})
        with pytest.raises(DirectoryError) as refused:
            services.create_component(data, db.session.get(User, coordinator.id))
        assert refused.value.field == field
        assert db.session.scalar(db.select(db.func.count()).select_from(Component)) == 0


def test_a_commune_only_for_the_home_province_and_only_an_offered_one(app):
    ward = locality_id(app, "Phường Phan Đình Phùng")
    with app.app_context():
        with pytest.raises(DirectoryError) as refused:
            services.create_component(ComponentData(name="Quỹ", kind="investor", province="Hà Nội",
                                                    locality_id=ward), None)
        assert refused.value.field == "locality_id"
        with pytest.raises(DirectoryError):
            services.create_component(ComponentData(name="Quỹ", kind="investor", locality_id=999_999), None)
        component = services.create_component(
            ComponentData(name="Quỹ", kind="investor", website="quy.example.vn", contact_email=" Quy@Example.VN ",
                          contact_phone="0208 3851 234", locality_id=ward), None)
        assert (component.website, component.contact_email, component.contact_phone) == (
            "https://quy.example.vn", "quy@example.vn", "02083851234",
        )
        assert "phan dinh phung" in component.search_text


def test_control_characters_are_removed_before_storing(app):
    ref = make_component(app, name="Vườn\x00 ươm\x07", description="Dòng 1\nDòng\x00 2")
    with app.app_context():
        component = db.session.get(Component, ref.id)
        assert component.name == "Vườn ươm"
        assert component.description == "Dòng 1\nDòng 2"


def test_review_needs_a_pending_suggestion_and_a_note_to_reject(app):
    member, coordinator = make_user(app), make_user(app, roles=(Role.COORDINATOR,))
    pending = make_component(app, name="Gợi ý", status="pending", suggested_by=member.id)
    with app.test_request_context():
        component = db.session.get(Component, pending.id)
        reviewer = db.session.get(User, coordinator.id)
        with pytest.raises(DirectoryError) as refused:
            services.review_component(component, approve=False, note="  ", by=reviewer)
        assert refused.value.field == "note"
        services.review_component(component, approve=True, note=None, by=reviewer)
        assert component.status == ComponentStatus.APPROVED and component.reviewed_by_id == coordinator.id
        with pytest.raises(DirectoryError):
            services.review_component(component, approve=False, note="Muộn", by=reviewer)


@pytest.mark.postgresql
@pytest.mark.committing
def test_two_simultaneous_creations_with_the_same_name_get_distinct_slugs(app):
    barrier = threading.Barrier(4)
    slugs, errors = [], []

    def create() -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                component = services.create_component(ComponentData(name="Vườn ươm Song Song", kind="incubator"), None)
                slugs.append(component.slug)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    race(*[create] * 4, timeout=30)
    assert errors == []
    assert sorted(slugs) == ["vuon-uom-song-song", "vuon-uom-song-song-2", "vuon-uom-song-song-3",
                             "vuon-uom-song-song-4"]


def test_a_member_cannot_suggest_a_listed_name_nor_flood_the_queue(app):
    member = make_user(app)
    make_component(app, name="Trường Đại học Nông Lâm", kind=ComponentKind.UNIVERSITY)
    with app.app_context():
        suggester = db.session.get(User, member.id)
        with pytest.raises(DirectoryError) as refused:
            services.suggest_component(ComponentData(name="TRƯỜNG ĐẠI HỌC NÔNG LÂM", kind="university"), suggester)
        assert refused.value.field == "name"
        for number in range(services.PENDING_SUGGESTIONS_MAX):
            services.suggest_component(ComponentData(name=f"Gợi ý {number}", kind="media"), suggester)
        with pytest.raises(DirectoryError) as refused:
            services.suggest_component(ComponentData(name="Gợi ý thêm", kind="media"), suggester)
        with force_locale("en"):
            assert "waiting for review" in str(refused.value.message)
        assert queries.pending_count() == services.PENDING_SUGGESTIONS_MAX


def test_the_service_refuses_a_fake_logo_and_writes_nothing(app):
    with app.app_context():
        with pytest.raises(DirectoryError) as refused:
            services.create_component(ComponentData(name="Vườn ươm", kind="incubator"), None,
                                      logo=io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'/>"))
        assert refused.value.field == "logo"
        assert db.session.scalar(db.select(db.func.count()).select_from(Component)) == 0
