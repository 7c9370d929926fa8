"""Demo accounts, one per role."""

from ecosystem.auth.models import Role
from ecosystem.auth.services import create_confirmed_user, find_user_by_email

# A printed demo credential, used by demo data only.
DEMO_PASSWORD = "demo-ecosystem-2026"  # noqa: S105  # nosec B105

DEMO_USERS = [
    ("admin@demo.example", "Quản trị viên Hệ thống", {Role.ADMIN}),
    ("dieuphoi@demo.example", "Nguyễn Thị Lan (Sở KH&CN)", {Role.COORDINATOR}),
    ("sangly@demo.example", "Trần Văn Minh", {Role.FOUNDER}),
    ("clb@demo.example", "Hoàng Thu Hà", {Role.CLUB_LEADER}),
    ("chuyengia@demo.example", "PGS. TS. Lê Quốc Bảo", {Role.MENTOR}),
    ("thanhvien@demo.example", "Phạm Đức Anh", set()),
]


def seed_users() -> list[tuple[str, str]]:
    """Create the demo accounts that do not exist yet; return (e-mail, roles) for printing."""
    printed = []
    for email, name, roles in DEMO_USERS:
        if find_user_by_email(email) is None:
            create_confirmed_user(email, DEMO_PASSWORD, name, roles)
        printed.append((email, ", ".join(sorted({Role.MEMBER, *roles}))))
    return printed


def seed() -> list[str]:
    """The demo accounts and their shared password, as lines to print."""
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD})"]
    lines += [f"  {email:<28} {roles}" for email, roles in seed_users()]
    return lines
