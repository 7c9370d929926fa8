"""Payment forms: only buttons (the CSRF token is the whole form)."""

from flask_wtf import FlaskForm


class RecordTransferForm(FlaskForm):
    """A coordinator or organiser confirms a bank transfer arrived."""
