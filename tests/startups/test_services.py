"""The rules of startup profiles, through the services."""

from __future__ import annotations

import pytest

from ecosystem.auth.models import Role, User
from ecosystem.extensions import db
from ecosystem.places.provinces import HOME_PROVINCE
from ecosystem.startups import members as startup_members
from ecosystem.startups import profiles as startup_profiles
from ecosystem.startups import verification as startup_verification
from ecosystem.startups.models import MemberRole, Startup, StartupMember
from ecosystem.startups.services import StartupData, StartupError
from tests.factories import locality_id, make_startup, make_user


def data(app, **overrides) -> StartupData:
    values = {
        "name": "Chè Tân Cương Xanh", "tagline": "Chè sạch từ vùng chè đặc sản", "sector": "food-ocop",
        "stage": "early-revenue", "province": HOME_PROVINCE, "locality_id": locality_id(app, "Xã Tân Cương"),
    }
    return StartupData(**{**values, **overrides})


def test_creation_folds_the_slug_makes_the_owner_a_founder_and_fills_the_search_columns(app):
    owner = make_user(app, roles=())
    ref = make_startup(app, owner=owner, name="Nông sản Đại Từ", tagline="Rau an toàn VietGAP",
                       description="Kết nối **nông hộ** với bếp ăn trường học.", locality="Xã Đại Từ")
    assert ref.slug == "nong-san-dai-tu"
    with app.app_context():
        startup = db.session.get(Startup, ref.id)
        assert [(member.user_id, member.role) for member in startup.members] == [(owner.id, MemberRole.OWNER)]
        assert db.session.get(User, owner.id).has_role(Role.FOUNDER)
        assert startup.search_name == "nong san dai tu"
        for words in ("nong san dai tu", "rau an toan vietgap", "nong ho", "xa dai tu", "thai nguyen", "agritech"):
            assert words in startup.search_text
        assert startup.created_by_id == owner.id
        assert startup.is_public and not startup.is_verified


def test_a_clashing_name_gets_the_next_free_suffix_and_reserved_paths_are_never_slugs(app):
    slugs = [make_startup(app, name=name).slug for name in ("Nông sản Đại Từ", "Nong san Dai Tu", "NÔNG SẢN ĐẠI TỪ")]
    assert slugs == ["nong-san-dai-tu", "nong-san-dai-tu-2", "nong-san-dai-tu-3"]
    assert make_startup(app, name="Nông sản Đại Từ Xanh").slug == "nong-san-dai-tu-xanh"
    assert make_startup(app, name="New").slug == "new-2"  # /startups/new is the registration page
    assert make_startup(app, name="!!!").slug == "muc"


def test_the_data_is_checked_by_the_service_too(app):
    owner = make_user(app)
    cases = {
        "name": {"name": "Đ" * 10_000},
        "sector": {"sector": "astrology"},
        "stage": {"stage": "unicorn"},
        "founded_year": {"founded_year": 1989},
        "tax_code": {"tax_code": "12345"},
        "website": {"website": "javascript:alert(1)"},
        "contact_phone": {"contact_phone": "12345"},
        "province": {"province": "Atlantis"},
        "locality_id": {"locality_id": 999_999},
        "locality_text": {"province": "Hà Nội", "locality_id": None, "locality_text": ""},
    }
    with app.app_context():
        user = db.session.get(User, owner.id)
        for field, overrides in cases.items():
            with pytest.raises(StartupError) as refused:
                startup_profiles.create_startup(user, data(app, **overrides))
            assert refused.value.field == field, overrides
        assert db.session.scalar(db.select(db.func.count()).select_from(Startup)) == 0


def test_startups_outside_the_province_give_a_free_text_locality(app):
    ref = make_startup(app, name="Bắc Ninh Robotics", province="Bắc Ninh", locality_text="Phường Kinh Bắc")
    with app.app_context():
        startup = db.session.get(Startup, ref.id)
        assert (startup.locality_id, startup.place_name) == (None, "Phường Kinh Bắc, Bắc Ninh")


def test_a_retired_commune_is_no_longer_accepted(app):
    tan_cuong = locality_id(app, "Xã Tân Cương")
    with app.app_context():
        from ecosystem.places.models import Locality

        db.session.get(Locality, tan_cuong).is_active = False
        db.session.commit()
        with pytest.raises(StartupError) as refused:
            startup_profiles.create_startup(db.session.get(User, make_user(app).id), data(app))
        assert refused.value.field == "locality_id"


def test_create_startup_can_leave_the_commit_to_the_caller(app):
    owner = make_user(app)
    with app.app_context():
        startup = startup_profiles.create_startup(db.session.get(User, owner.id), data(app), commit=False)
        assert startup.id is not None and startup.slug == "che-tan-cuong-xanh"
        db.session.rollback()
        assert db.session.scalar(db.select(db.func.count()).select_from(Startup)) == 0


def test_a_profile_keeps_its_commune_after_the_department_retires_it(app, client, auth, forms):
    ref = make_startup(app, name="Chè Tân Cương Xanh", locality="Xã Tân Cương")
    tan_cuong = locality_id(app, "Xã Tân Cương")
    with app.app_context():
        from ecosystem.places.models import Locality

        db.session.get(Locality, tan_cuong).is_active = False
        db.session.commit()
    auth.login(ref.owner.email, ref.owner.password)
    edit = f"/startups/{ref.slug}/edit"
    assert f'<option selected value="{tan_cuong}">' in client.get(edit).get_data(as_text=True)
    fields = {"name": "Chè Tân Cương Xanh", "sector": "food-ocop", "stage": "mvp", "province": HOME_PROVINCE,
              "locality_id": str(tan_cuong), "tagline": "Mới", "is_public": "y"}
    assert forms.post(edit, fields).status_code == 302
    with app.app_context():
        assert db.session.get(Startup, ref.id).tagline == "Mới"
    # Another profile cannot move there.
    other = make_startup(app, name="Khác")
    auth.logout()
    auth.login(other.owner.email, other.owner.password)
    assert forms.post(f"/startups/{other.slug}/edit", {**fields, "name": "Khác"}).status_code == 422


def test_add_member_does_not_commit(app):
    ref = make_startup(app)
    other = make_user(app)
    with app.app_context():
        startup = db.session.get(Startup, ref.id)
        startup_members.add_member(startup, db.session.get(User, other.id), title="CTO")
        db.session.rollback()
        assert [member.user_id for member in db.session.get(Startup, ref.id).members] == [ref.owner.id]


def test_update_keeps_the_slug_and_refreshes_the_search_text(app):
    ref = make_startup(app, name="Trà Xanh Thái", locality="Xã Tân Cương")
    with app.app_context():
        startup = db.session.get(Startup, ref.id)
        owner = db.session.get(User, ref.owner.id)
        startup_profiles.update_startup(
            startup, data(app, name="Trà Xanh Thái Nguyên", description="Du lịch hồ Núi Cốc"), owner
        )
        startup = db.session.get(Startup, ref.id)
        assert startup.slug == "tra-xanh-thai"  # printed QR codes and bookmarks keep working
        assert startup.name == "Trà Xanh Thái Nguyên"
        assert "du lich ho nui coc" in startup.search_text


def test_a_verified_startups_name_and_tax_code_change_only_through_a_coordinator(app):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    ref = make_startup(app, name="Chè Tân Cương Xanh", locality="Xã Tân Cương", tax_code="4601234567",
                       sector="food-ocop", stage="early-revenue", tagline="Chè sạch từ vùng chè đặc sản",
                       verified_by=coordinator)
    with app.app_context():
        startup = db.session.get(Startup, ref.id)
        owner = db.session.get(User, ref.owner.id)
        for change in ({"name": "Chè Tân Cương Đỏ"}, {"tax_code": "4601234568"}, {"tax_code": None}):
            with pytest.raises(StartupError) as refused:
                startup_profiles.update_startup(startup, data(app, **{"tax_code": "4601234567", **change}), owner)
            assert refused.value.field in change
        # the rest is free
        startup_profiles.update_startup(startup, data(app, tax_code="4601234567", tagline="Mới"), owner)
        assert db.session.get(Startup, ref.id).tagline == "Mới"

        startup_profiles.update_startup(startup, data(app, name="Chè Tân Cương Đỏ", tax_code="4601234568-001"),
                                db.session.get(User, coordinator.id))
        startup = db.session.get(Startup, ref.id)
        assert (startup.name, startup.tax_code) == ("Chè Tân Cương Đỏ", "4601234568-001")
        startup_verification.unverify_startup(startup, db.session.get(User, coordinator.id))
        startup_profiles.update_startup(startup, data(app, name="Chè Tân Cương"), owner)  # not verified any more
        assert db.session.get(Startup, ref.id).name == "Chè Tân Cương"


def test_ownership_moves_to_a_member_in_one_transaction_and_only_the_owner_may_move_it(app):
    ref = make_startup(app)
    cofounder, stranger = make_user(app), make_user(app)
    with app.app_context():
        startup = db.session.get(Startup, ref.id)
        member = startup_members.add_member(startup, db.session.get(User, cofounder.id))
        db.session.commit()
        member_id, owner_member_id = member.id, startup.members[0].id

        with pytest.raises(StartupError):
            startup_members.transfer_ownership(startup, member_id, db.session.get(User, cofounder.id))
        with pytest.raises(StartupError):
            startup_members.transfer_ownership(startup, 999_999, db.session.get(User, ref.owner.id))
        stranger_startup = make_startup(app, owner=stranger)
        outsider_member = db.session.scalar(
            db.select(StartupMember.id).where(StartupMember.startup_id == stranger_startup.id)
        )
        with pytest.raises(StartupError):  # a member of another startup
            startup_members.transfer_ownership(startup, outsider_member, db.session.get(User, ref.owner.id))

        startup_members.transfer_ownership(startup, member_id, db.session.get(User, ref.owner.id))
        roles = dict(db.session.execute(
            db.select(StartupMember.id, StartupMember.role).where(StartupMember.startup_id == ref.id)
        ).all())
        assert roles == {owner_member_id: MemberRole.MEMBER, member_id: MemberRole.OWNER}
        assert db.session.get(User, cofounder.id).has_role(Role.FOUNDER)
        # The old owner lost the owner's powers.
        with pytest.raises(StartupError):
            startup_members.transfer_ownership(startup, owner_member_id, db.session.get(User, ref.owner.id))


def test_the_owner_cannot_be_removed_members_can(app):
    ref = make_startup(app)
    cofounder = make_user(app)
    with app.app_context():
        startup = db.session.get(Startup, ref.id)
        member = startup_members.add_member(startup, db.session.get(User, cofounder.id))
        db.session.commit()
        with pytest.raises(StartupError):
            startup_members.remove_member(startup, startup.members[0].id)
        startup_members.remove_member(startup, member.id)
        assert [item.user_id for item in db.session.get(Startup, ref.id).members] == [ref.owner.id]


def test_delete_removes_the_members_and_withdraws_open_invitations(app):
    ref = make_startup(app)
    with app.test_request_context():  # the invitation e-mail holds a link
        startup = db.session.get(Startup, ref.id)
        invitation = startup_members.invite_member(
            startup, "ban.dong.sang.lap@example.vn", db.session.get(User, ref.owner.id)
        )
        invitation_id = invitation.id
        startup_profiles.delete_startup(startup)
        assert db.session.get(Startup, ref.id) is None
        assert db.session.scalar(db.select(db.func.count()).select_from(StartupMember)) == 0
        from ecosystem.invitations.models import Invitation

        assert db.session.get(Invitation, invitation_id).revoked_at is not None


def test_public_startup_hides_hidden_profiles(app):
    visible, hidden = make_startup(app), make_startup(app, is_public=False)
    with app.app_context():
        assert startup_profiles.public_startup(visible.slug).id == visible.id
        assert startup_profiles.public_startup(hidden.slug) is None
        assert startup_profiles.public_startup("no-such-startup") is None
        assert startup_profiles.public_startup("x" * 500) is None


def test_the_policies(app):
    coordinator = make_user(app, roles=(Role.COORDINATOR,))
    ref = make_startup(app, is_public=False)
    cofounder, other_founder = make_user(app), make_user(app, roles=(Role.FOUNDER,))
    with app.app_context():
        from ecosystem.auth.permissions import can

        startup = db.session.get(Startup, ref.id)
        startup_members.add_member(startup, db.session.get(User, cofounder.id))
        db.session.commit()
        users = {name: db.session.get(User, ref_.id) for name, ref_ in
                 {"owner": ref.owner, "cofounder": cofounder, "other": other_founder, "coord": coordinator}.items()}
        expected = {
            "startup.edit": {"owner", "cofounder", "coord"},
            "startup.manage_members": {"owner"},
            "startup.delete": {"owner"},
            "startup.verify": {"coord"},
            "startup.view_hidden": {"owner", "cofounder", "coord"},
        }
        for action, allowed in expected.items():
            assert {name for name, user in users.items() if can(user, action, startup)} == allowed, action
