"""Sign-up, login, logout, confirmation, password reset, settings and role administration."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ecosystem.auth import services
from ecosystem.auth.attempts import limit_failed_attempts, limit_mail_sending
from ecosystem.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
    RolesForm,
    SettingsForm,
)
from ecosystem.auth.models import Role, User
from ecosystem.auth.permissions import role_required
from ecosystem.auth.tokens import TokenExpired, TokenInvalid
from ecosystem.core.forms import ButtonForm as EmptyForm
from ecosystem.core.urls import page_argument, redirect_target
from ecosystem.extensions import db
from ecosystem.i18n import current_language

bp = Blueprint("auth", __name__, url_prefix="/auth")




@bp.route("/register", methods=["GET", "POST"])
@limit_mail_sending
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        services.register_user(form.email.data, form.password.data, form.full_name.data, current_language())
        # The same answer whether or not the address was already registered.
        flash(
            _("Almost done: we sent a confirmation link to %(email)s. Open it to activate your account.",
              email=form.email.data.strip()),
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form), 200 if request.method == "GET" else 422


@bp.route("/login", methods=["GET", "POST"])
@limit_failed_attempts
def login():
    if current_user.is_authenticated:
        return redirect(redirect_target())
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            services.record_login(user)
            flash(_("Welcome back, %(name)s.", name=user.full_name), "success")
            if not user.is_confirmed:
                flash(_("Please confirm your e-mail address to use all features."), "warning")
            return redirect(redirect_target())
        flash(_("The e-mail or password is not correct."), "error")
    status = 200 if request.method == "GET" else 422
    return render_template("auth/login.html", form=form, next=request.args.get("next", "")), status


@bp.post("/logout")
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            services.end_sessions(current_user._get_current_object())
        logout_user()
        flash(_("You are signed out."), "success")
    return redirect(url_for("home.index"))


@bp.get("/confirm/<token>")
def confirm_email(token: str):
    try:
        user = services.confirm_email(token)
    except TokenExpired:
        flash(_("This confirmation link has expired. Sign in and ask for a new one."), "error")
        return render_template("auth/token_problem.html"), 400
    except TokenInvalid:
        flash(_("This confirmation link is not valid. Check that you copied it whole."), "error")
        return render_template("auth/token_problem.html"), 400
    flash(_("Your e-mail address is confirmed. Thank you!"), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for("home.index"))
    return redirect(url_for("auth.login"))


@bp.get("/unconfirmed")
@login_required
def unconfirmed():
    if current_user.is_confirmed:
        return redirect(url_for("home.index"))
    return render_template("auth/unconfirmed.html", form=EmptyForm())


@bp.post("/confirm/resend")
@login_required
@limit_mail_sending
def resend_confirmation():
    form = EmptyForm()
    if form.validate_on_submit():
        services.resend_confirmation(current_user)
        flash(_("We sent a new confirmation link to %(email)s.", email=current_user.email), "success")
    return redirect(url_for("auth.unconfirmed"))


@bp.route("/reset", methods=["GET", "POST"])
@limit_failed_attempts
@limit_mail_sending
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(
            _("If an account uses this address, we sent it a link to choose a new password."),
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form), 200 if request.method == "GET" else 422


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limit_failed_attempts
def reset_password(token: str):
    try:
        services.user_for_reset_token(token)
    except TokenExpired:
        flash(_("This reset link has expired. Please ask for a new one."), "error")
        return render_template("auth/token_problem.html", reset=True), 400
    except TokenInvalid:
        flash(_("This reset link is not valid or was already used. Please ask for a new one."), "error")
        return render_template("auth/token_problem.html", reset=True), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(token, form.password.data)
        logout_user()
        flash(_("Your password is changed. Please sign in with the new one."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form), 200 if request.method == "GET" else 422


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(obj=current_user)
    password_form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            services.update_settings(current_user, form.full_name.data, form.phone.data, form.locale.data)
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            flash(_("Your settings are saved."), "success")
            return redirect(url_for("auth.settings"))
    status = 200 if request.method == "GET" else 422
    return render_template("auth/settings.html", form=form, password_form=password_form), status


@bp.post("/settings/password")
@login_required
@limit_failed_attempts
def change_password():
    form = SettingsForm(obj=current_user, formdata=None)
    password_form = ChangePasswordForm(prefix="pw")
    if password_form.validate_on_submit():
        try:
            services.change_password(current_user, password_form.current_password.data, password_form.password.data)
        except services.AccountError as error:
            password_form.current_password.errors.append(str(error))
        else:
            # The session token rotated with the password: sign this session in again.
            login_user(current_user._get_current_object(), remember=False)
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for("auth.settings"))
    return render_template("auth/settings.html", form=form, password_form=password_form), 422


@bp.get("/admin/users")
@role_required(Role.ADMIN)
def admin_users():
    query = request.args.get("q", "")[:200]
    pagination = services.search_users(query, page_argument())
    return render_template("auth/admin_users.html", pagination=pagination, query=query)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def admin_user_roles(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = RolesForm(data={"roles": sorted(user.roles)} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.set_roles(user, {Role(value) for value in form.roles.data}, current_user)
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            flash(_("The roles of %(name)s are saved.", name=user.full_name), "success")
            return redirect(url_for("auth.admin_users"))
    status = 200 if request.method == "GET" else 422
    return render_template("auth/admin_user_roles.html", user=user, form=form), status
