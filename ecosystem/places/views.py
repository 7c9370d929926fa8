"""The department keeps the list of communes and wards up to date."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ecosystem.auth.models import Role
from ecosystem.auth.permissions import role_required
from ecosystem.core.forms import ButtonForm as ToggleForm
from ecosystem.extensions import db
from ecosystem.places import services
from ecosystem.places.forms import LocalityForm
from ecosystem.places.models import Locality

bp = Blueprint("places", __name__, url_prefix="/places")


def _page(form: LocalityForm, status: int = 200):
    return render_template(
        "places/index.html", localities=services.all_localities(), form=form, toggle_form=ToggleForm()
    ), status


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def index():
    form = LocalityForm()
    if form.validate_on_submit():
        try:
            locality = services.add_locality(form.name.data)
        except services.PlaceError as error:
            form.name.errors.append(str(error.message))
        else:
            flash(_("%(name)s is added.", name=locality.name), "success")
            return redirect(url_for("places.index"))
    return _page(form, 200 if request.method == "GET" else 422)


@bp.route("/<int:locality_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit(locality_id: int):
    locality = db.session.get(Locality, locality_id) or abort(404)
    form = LocalityForm(obj=locality)
    if form.validate_on_submit():
        try:
            services.rename_locality(locality, form.name.data)
        except services.PlaceError as error:
            form.name.errors.append(str(error.message))
        else:
            flash(_("The name is saved."), "success")
            return redirect(url_for("places.index"))
    status = 200 if request.method == "GET" else 422
    return render_template("places/edit.html", locality=locality, form=form), status


@bp.post("/<int:locality_id>/active")
@role_required(Role.COORDINATOR)
def toggle(locality_id: int):
    locality = db.session.get(Locality, locality_id) or abort(404)
    if ToggleForm().validate_on_submit():
        services.set_locality_active(locality, not locality.is_active)
        if locality.is_active:
            flash(_("%(name)s is offered again.", name=locality.name), "success")
        else:
            flash(_("%(name)s is no longer offered; profiles that use it keep it.", name=locality.name), "success")
    return redirect(url_for("places.index"))
