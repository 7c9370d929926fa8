"""Account forms. Every validator carries its own message, translated."""


from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ecosystem.auth.models import Role
from ecosystem.core.validation import PHONE_EXAMPLE, PHONE_MAX, PHONE_MESSAGE, PHONE_PATTERN, clean_phone

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}


def language_choices() -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in LANGUAGES.items()]
PASSWORD_MIN = 10
PASSWORD_MAX = 128


def email_field(label=None):
    return EmailField(
        label or _l("E-mail"),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired(message=_l("Please enter your e-mail address.")),
            Length(max=254, message=_l("An e-mail address has at most 254 characters.")),
            Email(message=_l("This is not a valid e-mail address."), granular_message=False),
        ],
        render_kw={"autocomplete": "email"},
    )


def new_password_fields():
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Please choose a password.")),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l("A password has %(min)d to %(max)d characters.", min=PASSWORD_MIN, max=PASSWORD_MAX),
            ),
        ],
        render_kw={"autocomplete": "new-password"},
        description=_l("At least %(min)d characters.", min=PASSWORD_MIN),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(message=_l("Please repeat the password.")),
            EqualTo("password", message=_l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return password, confirm


def full_name_field():
    return StringField(
        _l("Full name"),
        validators=[
            DataRequired(message=_l("Please enter your name.")),
            Length(max=120, message=_l("A name has at most 120 characters.")),
        ],
        render_kw={"autocomplete": "name"},
    )


class RegisterForm(FlaskForm):
    full_name = full_name_field()
    email = email_field()
    password, confirm = new_password_fields()
    accept_terms = BooleanField(
        _l("I agree that the department stores my data to run this platform."),
        validators=[DataRequired(message=_l("Please accept the terms to continue."))],
    )


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Please enter your password.")),
            Length(max=PASSWORD_MAX, message=_l("The e-mail or password is not correct.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Keep me signed in on this device"))


class ResetRequestForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password, confirm = new_password_fields()


class SettingsForm(FlaskForm):
    full_name = full_name_field()
    phone = StringField(
        _l("Phone"),
        filters=[lambda value: clean_phone(value) if value else value],
        validators=[
            Optional(),
            Length(max=PHONE_MAX, message=PHONE_MESSAGE),
            Regexp(PHONE_PATTERN, message=PHONE_MESSAGE),
        ],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
        description=PHONE_EXAMPLE,
    )
    locale = SelectField(_l("Language"), choices=language_choices(), validate_choice=True)

    def validate_locale(self, field):
        if field.data not in LANGUAGES:
            raise ValidationError(_l("This language is not available."))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(message=_l("Please enter your current password.")),
            Length(max=PASSWORD_MAX, message=_l("The current password is not correct.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    password, confirm = new_password_fields()


class LanguageForm(FlaskForm):
    lang = SelectField(_l("Language"), choices=language_choices())


ROLE_LABELS = {
    Role.MEMBER: _l("Member"),
    Role.FOUNDER: _l("Founder"),
    Role.CLUB_LEADER: _l("Club leader"),
    Role.MENTOR: _l("Mentor"),
    Role.COORDINATOR: _l("Coordinator (department)"),
    Role.ADMIN: _l("Administrator"),
}


class RolesForm(FlaskForm):
    roles = SelectMultipleField(
        _l("Roles"),
        choices=[SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )

    def validate_roles(self, field):
        if any(value not in Role._value2member_map_ for value in field.data):
            raise ValidationError(_l("Unknown role."))


