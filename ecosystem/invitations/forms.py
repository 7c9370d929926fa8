from flask_wtf import FlaskForm


class AcceptForm(FlaskForm):
    """A button with a CSRF token."""
