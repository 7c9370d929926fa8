"""Flask-Login wiring: users are loaded by their rotating session token."""

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from ecosystem.auth.models import User
from ecosystem.extensions import db


def load_user(session_token: str) -> User | None:
    """The user of a session, by its token. A token rotated away (logout, password change) or a
    deactivated or deleted account ends the session at its next request."""
    if not session_token:
        return None
    return db.session.scalar(
        db.select(User).where(User.session_token == session_token, User.is_active_account.is_(True))
    )


def configure_login_manager(login_manager: LoginManager) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "warning"
    login_manager.needs_refresh_message = _l("Please sign in again to confirm it is you.")
    login_manager.session_protection = "basic"
