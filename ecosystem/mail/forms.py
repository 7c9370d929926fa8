from flask_wtf import FlaskForm


class RequeueForm(FlaskForm):
    """A button with a CSRF token."""
