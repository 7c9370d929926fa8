"""Startup profiles and their members."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecosystem.auth.models import User
from ecosystem.extensions import db
from ecosystem.places.models import Locality
from ecosystem.timeutil import UTCDateTime, utcnow

VERIFICATION_NOTE_MAX = 1000


class Sector(enum.StrEnum):
    AGRITECH = "agritech"
    EDTECH = "edtech"
    FINTECH = "fintech"
    HEALTHTECH = "healthtech"
    TOURISM = "tourism"
    MANUFACTURING = "manufacturing"
    ECOMMERCE = "e-commerce"
    CLEANTECH = "cleantech"
    SOFTWARE = "software"
    FOOD_OCOP = "food-ocop"
    OTHER = "other"


class Stage(enum.StrEnum):
    IDEA = "idea"
    PROTOTYPE = "prototype"
    MVP = "mvp"
    EARLY_REVENUE = "early-revenue"
    GROWTH = "growth"


class MemberRole(enum.StrEnum):
    OWNER = "owner"
    MEMBER = "member"


class Startup(db.Model):
    __tablename__ = "startups"
    __table_args__ = (
        Index("ix_startups_listing", "is_public", "sector", "stage"),
        Index(
            "ix_startups_search_text_trgm", "search_text",
            postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(90), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    tagline: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown, sanitised when rendered
    sector: Mapped[str] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(20))
    founded_year: Mapped[int | None]
    province: Mapped[str] = mapped_column(String(60))
    locality_id: Mapped[int | None] = mapped_column(ForeignKey("localities.id", ondelete="SET NULL"), index=True)
    locality_text: Mapped[str | None] = mapped_column(String(120))  # for startups outside the province
    website: Mapped[str | None] = mapped_column(String(300))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    tax_code: Mapped[str | None] = mapped_column(String(14))
    logo: Mapped[str | None] = mapped_column(String(80))
    is_public: Mapped[bool] = mapped_column(default=True)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # What the coordinator noted when verifying (seen by the department only, never on the public profile).
    verification_note: Mapped[str | None] = mapped_column(String(VERIFICATION_NOTE_MAX))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Folded (accent-free, lower-case) copies kept by the service for search.
    search_name: Mapped[str] = mapped_column(String(120), index=True)
    search_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    locality: Mapped[Locality | None] = relationship()
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])
    members: Mapped[list[StartupMember]] = relationship(
        back_populates="startup", cascade="all, delete-orphan", order_by="StartupMember.id"
    )

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def place_name(self) -> str:
        local = self.locality.name if self.locality else self.locality_text
        return ", ".join(part for part in (local, self.province) if part)

    def __repr__(self) -> str:
        return f"<Startup {self.slug}>"


class StartupMember(db.Model):
    __tablename__ = "startup_members"
    __table_args__ = (
        UniqueConstraint("startup_id", "user_id"),
        # Exactly one owner at a time; transfer swaps roles in one transaction.
        Index(
            "uq_startup_members_one_owner", "startup_id", unique=True,
            postgresql_where=text("role = 'owner'"), sqlite_where=text("role = 'owner'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(ForeignKey("startups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default=MemberRole.MEMBER)
    title: Mapped[str | None] = mapped_column(String(80))  # "CEO", "CTO", ...
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    startup: Mapped[Startup] = relationship(back_populates="members")
    user: Mapped[User] = relationship()
