"""Payment forms: buttons (the CSRF token is the whole form), and the bank reference of a transfer paid back."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ecosystem.payments.refunds import BANK_REFERENCE_MAX


class RecordTransferForm(FlaskForm):
    """A coordinator or organiser confirms a bank transfer arrived."""


class ButtonForm(FlaskForm):
    """A button that changes something (try a failed refund again)."""


class PaidBackForm(FlaskForm):
    """A coordinator or organiser paid a transfer back by hand: the reference of their bank transfer."""

    bank_reference = StringField(
        _l("Bank reference of the transfer back"),
        validators=[DataRequired(_l("Enter the bank reference of the transfer you made.")),
                    Length(max=BANK_REFERENCE_MAX, message=_l("A bank reference has at most %(max)d characters.",
                                                              max=BANK_REFERENCE_MAX))],
    )
