"""The directory's demo data: a realistic, idempotent set covering every kind."""

from ecosystem.auth.demo import seed_users
from ecosystem.directory import demo
from ecosystem.directory.models import Component, ComponentKind, ComponentStatus
from ecosystem.extensions import db
from ecosystem.places.services import load_reference_localities
from tests.factories import make_startup


def test_demo_seeds_every_kind_links_startups_and_runs_twice_without_duplicates(app):
    with app.app_context():
        seed_users()
        load_reference_localities()
        db.session.commit()
    make_startup(app, name="Nông sản Đại Từ", sector="agritech")
    make_startup(app, name="Ẩn danh", sector="agritech", is_public=False)
    with app.app_context():
        first = demo.seed()
        components = list(db.session.scalars(db.select(Component)))
        approved = [component for component in components if component.status == ComponentStatus.APPROVED]
        assert len(approved) >= 25
        assert {component.kind for component in approved} == {kind.value for kind in ComponentKind}
        assert [component.name for component in components if component.status == ComponentStatus.PENDING] == [
            demo.PENDING_SUGGESTION[0]
        ]
        assert all(component.description and component.services for component in approved)
        assert any(component.locality_id for component in approved)
        slug = "vuon-uom-nong-nghiep-cong-nghe-cao-dai-tu"
        incubator = db.session.scalar(db.select(Component).where(Component.slug == slug))
        assert [startup.slug for startup in incubator.startups] == ["nong-san-dai-tu"]  # hidden ones are not linked
        assert "Sở Khoa học và Công nghệ tỉnh Thái Nguyên" in {component.name for component in approved}
        second = demo.seed()
        assert db.session.scalar(db.select(db.func.count()).select_from(Component)) == len(components)
        assert "(0 new), 0 new links" in second[0] and first != second
