"""Components of the ecosystem: incubators, funds, universities, support organisations, ..."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecosystem.auth.models import User
from ecosystem.core.columns import status_type
from ecosystem.extensions import db
from ecosystem.places.models import Locality
from ecosystem.startups.models import Startup
from ecosystem.timeutil import UTCDateTime, utcnow


class ComponentKind(enum.StrEnum):
    INCUBATOR = "incubator"
    ACCELERATOR = "accelerator"
    INVESTOR = "investor"
    UNIVERSITY = "university"
    RESEARCH_INSTITUTE = "research-institute"
    COWORKING = "coworking"
    SUPPORT_ORGANISATION = "support-organisation"
    MEDIA = "media"
    GOVERNMENT_AGENCY = "government-agency"
    ENTERPRISE_PARTNER = "enterprise-partner"


class ComponentStatus(enum.StrEnum):
    PENDING = "pending"  # suggested by a member, waiting for a coordinator
    APPROVED = "approved"
    REJECTED = "rejected"


component_startups = Table(
    "component_startups",
    db.metadata,
    Column("component_id", ForeignKey("directory_components.id", ondelete="CASCADE"), primary_key=True),
    Column("startup_id", ForeignKey("startups.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Component(db.Model):
    __tablename__ = "directory_components"
    __table_args__ = (
        Index("ix_directory_components_listing", "status", "kind"),
        Index(
            "ix_directory_components_search_text_trgm", "search_text",
            postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(90), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    address: Mapped[str | None] = mapped_column(String(255))
    province: Mapped[str] = mapped_column(String(60))
    locality_id: Mapped[int | None] = mapped_column(ForeignKey("localities.id", ondelete="SET NULL"), index=True)
    website: Mapped[str | None] = mapped_column(String(300))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    logo: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(status_type(ComponentStatus, 10), default=ComponentStatus.APPROVED)
    suggested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_note: Mapped[str | None] = mapped_column(String(500))
    search_name: Mapped[str] = mapped_column(String(160), index=True)
    search_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    locality: Mapped[Locality | None] = relationship()
    suggested_by: Mapped[User | None] = relationship(foreign_keys=[suggested_by_id])
    services: Mapped[list[ComponentService]] = relationship(
        back_populates="component", cascade="all, delete-orphan", order_by="ComponentService.name"
    )
    startups: Mapped[list[Startup]] = relationship(secondary=component_startups, order_by=Startup.name)

    def __repr__(self) -> str:
        return f"<Component {self.slug} {self.kind}>"


class ComponentService(db.Model):
    """A service a component offers ("ươm tạo", "đầu tư thiên thần"): a tag, filterable."""

    __tablename__ = "directory_component_services"
    __table_args__ = (UniqueConstraint("component_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    component_id: Mapped[int] = mapped_column(ForeignKey("directory_components.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    slug: Mapped[str] = mapped_column(String(60), index=True)

    component: Mapped[Component] = relationship(back_populates="services")
