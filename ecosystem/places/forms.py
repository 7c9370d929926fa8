from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class LocalityForm(FlaskForm):
    name = StringField(
        _l("Name of the commune or ward"),
        validators=[
            DataRequired(message=_l("Please enter the name.")),
            Length(max=100, message=_l("A name has at most 100 characters.")),
        ],
        description=_l("For example “Xã Đại Từ” or “Phường Phan Đình Phùng”."),
    )


