"""The demo startups: enough of them, spread over sectors and places, loaded once."""

from collections import Counter

from ecosystem.auth.demo import DEMO_PASSWORD, seed_users
from ecosystem.auth.models import User
from ecosystem.auth.services import find_user_by_email
from ecosystem.extensions import db
from ecosystem.places.services import load_reference_localities
from ecosystem.startups import demo
from ecosystem.startups.models import MemberRole, Startup, StartupMember


def test_the_demo_startups_are_many_varied_and_loaded_once(app):
    with app.app_context():
        seed_users()
        load_reference_localities()
        db.session.commit()
        lines = demo.seed()
        assert lines == [f"Startups: {len(demo.STARTUPS)} created, {len(demo.STARTUPS)} in total"], lines
        startups = db.session.scalars(db.select(Startup)).all()
        assert len(startups) >= 30
        assert len({startup.sector for startup in startups}) >= 9
        assert len({startup.stage for startup in startups}) == 5
        assert len({startup.locality_id for startup in startups}) >= 25
        assert sum(not startup.is_public for startup in startups) == 2
        assert 8 <= sum(startup.is_verified for startup in startups) <= 15
        owners = Counter(
            db.session.scalars(db.select(StartupMember.user_id).where(StartupMember.role == MemberRole.OWNER))
        )
        founder = find_user_by_email(demo.DEMO_FOUNDER)
        assert 3 <= owners[founder.id] <= 6
        assert len(owners) >= 8
        for user_id in owners:
            user = db.session.get(User, user_id)
            assert user.is_confirmed and user.check_password(DEMO_PASSWORD) and user.email.endswith("@demo.example")
        nong_san = db.session.scalar(db.select(Startup).where(Startup.slug == "nong-san-dai-tu"))
        assert len(nong_san.members) == 2

        assert demo.seed() == [f"Startups: 0 created, {len(demo.STARTUPS)} in total"]
        assert db.session.scalar(db.select(db.func.count()).select_from(Startup)) == len(startups)
