"""University clubs, their members and student teams."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ecosystem.auth.models import User
from ecosystem.directory.models import Component
from ecosystem.extensions import db
from ecosystem.startups.models import Startup
from ecosystem.timeutil import UTCDateTime, utcnow

# Addresses one invitation form may hold (the form's size and the service's check).
MAX_BULK_INVITATIONS = 50


class ClubRole(enum.StrEnum):
    LEADER = "leader"
    MEMBER = "member"


class Club(db.Model):
    __tablename__ = "clubs"
    __table_args__ = (
        Index(
            "ix_clubs_search_text_trgm", "search_text",
            postgresql_using="gin", postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(90), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    university_id: Mapped[int] = mapped_column(ForeignKey("directory_components.id", ondelete="RESTRICT"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    contact_email: Mapped[str | None] = mapped_column(String(254))
    logo: Mapped[str | None] = mapped_column(String(80))
    search_name: Mapped[str] = mapped_column(String(160), index=True)
    search_text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    university: Mapped[Component] = relationship()
    members: Mapped[list[ClubMember]] = relationship(
        back_populates="club", cascade="all, delete-orphan", order_by="ClubMember.id"
    )
    teams: Mapped[list[Team]] = relationship(back_populates="club", cascade="all, delete-orphan", order_by="Team.name")

    def __repr__(self) -> str:
        return f"<Club {self.slug}>"


class ClubMember(db.Model):
    __tablename__ = "club_members"
    __table_args__ = (UniqueConstraint("club_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    club_id: Mapped[int] = mapped_column(ForeignKey("clubs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default=ClubRole.MEMBER)
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    club: Mapped[Club] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class Team(db.Model):
    """A student team of a club; it may later become a startup."""

    __tablename__ = "club_teams"
    __table_args__ = (UniqueConstraint("club_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    club_id: Mapped[int] = mapped_column(ForeignKey("clubs.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(90))
    name: Mapped[str] = mapped_column(String(120))
    idea: Mapped[str] = mapped_column(Text, default="")  # Markdown
    mentor_wanted: Mapped[bool] = mapped_column(default=False)
    startup_id: Mapped[int | None] = mapped_column(ForeignKey("startups.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    club: Mapped[Club] = relationship(back_populates="teams")
    startup: Mapped[Startup | None] = relationship()
    members: Mapped[list[TeamMember]] = relationship(
        back_populates="team", cascade="all, delete-orphan", order_by="TeamMember.id"
    )


class TeamMember(db.Model):
    __tablename__ = "club_team_members"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("club_teams.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    is_lead: Mapped[bool] = mapped_column(default=False)

    team: Mapped[Team] = relationship(back_populates="members")
    user: Mapped[User] = relationship()
