"""The ecosystem directory: list, detail, suggestions and curation."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ecosystem.auth.permissions import authorize, can, confirmed_required
from ecosystem.core.listing import list_query_or_400
from ecosystem.directory import queries, services
from ecosystem.directory.forms import ComponentForm, DeleteForm, EditComponentForm, ReviewForm, StartupLinkForm
from ecosystem.directory.models import ComponentStatus

bp = Blueprint("directory", __name__, url_prefix="/directory")

LIST_PAGE_SIZE = 24


@bp.app_context_processor
def directory_labels():
    return {"component_kind_labels": services.KIND_LABELS, "component_status_labels": services.STATUS_LABELS}


def startup_url(slug: str) -> str:
    """The startup's public page (`/startups/<slug>` in the URL contract)."""
    if "startups.detail" in current_app.view_functions:
        return url_for("startups.detail", slug=slug)
    return f"{request.script_root}/startups/{slug}"


def _show_service_error(form, error: services.DirectoryError) -> None:
    target = getattr(form, error.field, None) if error.field else None
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, str(error.message)]
    else:
        flash(str(error.message), "error")


def _form_status() -> int:
    return 200 if request.method == "GET" else 422


def _curated_component(slug: str):
    """Curators only (403 before any lookup), then the component in any status or 404."""
    authorize("directory.curate")
    return queries.component_for(current_user, slug) or abort(404)


@bp.get("/")
def index():
    query = list_query_or_400(
        request.args,
        sorts=queries.COMPONENT_SORTS,
        default_sort=queries.DEFAULT_COMPONENT_SORT,
        facets=queries.COMPONENT_FACETS,
        default_per_page=LIST_PAGE_SIZE,
    )
    curator = can(current_user, "directory.curate")
    return render_template(
        "directory/index.html",
        pagination=queries.search_components(query),
        query=query,
        sorts=queries.COMPONENT_SORTS,
        service_options=queries.service_tag_options(),
        locality_options=queries.locality_options(),
        can_curate=curator,
        can_suggest=can(current_user, "directory.suggest"),
        pending_count=queries.pending_count() if curator else 0,
    )


@bp.get("/<slug>")
def detail(slug: str):
    component = queries.component_for(current_user, slug) or abort(404)
    curator = can(current_user, "directory.curate", component)
    return render_template(
        "directory/detail.html",
        component=component,
        startups=queries.supported_startups(component, include_hidden=curator),
        can_curate=curator,
        delete_form=DeleteForm(),
        startup_url=startup_url,
    )


@bp.route("/new", methods=["GET", "POST"])
@confirmed_required
def create():
    authorize("directory.curate")
    form = ComponentForm()
    if form.validate_on_submit():
        try:
            component = services.create_component(form.to_data(), current_user, logo=form.logo.data)
        except services.DirectoryError as error:
            _show_service_error(form, error)
        else:
            flash(_("%(name)s is added to the directory.", name=component.name), "success")
            return redirect(url_for("directory.detail", slug=component.slug))
    return render_template("directory/form.html", form=form, mode="create"), _form_status()


@bp.route("/suggest", methods=["GET", "POST"])
@confirmed_required
def suggest():
    authorize("directory.suggest")
    form = ComponentForm()
    if form.validate_on_submit():
        try:
            component = services.suggest_component(form.to_data(), current_user, logo=form.logo.data)
        except services.DirectoryError as error:
            _show_service_error(form, error)
        else:
            flash(_("Thank you! Your suggestion is waiting for review by the department."), "success")
            return redirect(url_for("directory.detail", slug=component.slug))
    return render_template("directory/form.html", form=form, mode="suggest"), _form_status()


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@confirmed_required
def edit(slug: str):
    component = _curated_component(slug)
    form = EditComponentForm(current_locality=component.locality)
    if request.method == "GET":
        form.fill_from(component)
    elif form.validate_on_submit():
        try:
            services.update_component(component, form.to_data(), logo=form.logo.data,
                                      remove_logo=form.remove_logo.data)
        except services.DirectoryError as error:
            _show_service_error(form, error)
        else:
            flash(_("The changes are saved."), "success")
            return redirect(url_for("directory.detail", slug=component.slug))
    return render_template("directory/form.html", form=form, mode="edit", component=component), _form_status()


@bp.post("/<slug>/delete")
@confirmed_required
def delete(slug: str):
    component = _curated_component(slug)
    if not DeleteForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for("directory.detail", slug=slug))
    name = component.name
    try:
        services.delete_component(component)
    except services.ComponentInUse as error:
        flash(str(error.message), "error")
        return redirect(url_for("directory.detail", slug=slug))
    flash(_("%(name)s is deleted.", name=name), "success")
    return redirect(url_for("directory.index"))


def _review_page(forms_by_id: dict | None = None, status: int = 200):
    suggestions = queries.pending_suggestions()
    forms_by_id = forms_by_id or {}
    review_forms = {
        component.id: forms_by_id.get(component.id) or ReviewForm(prefix=f"c{component.id}", formdata=None)
        for component in suggestions
    }
    return render_template("directory/review.html", suggestions=suggestions, review_forms=review_forms), status


@bp.get("/review")
@confirmed_required
def review():
    authorize("directory.curate")
    return _review_page()


@bp.post("/<slug>/review")
@confirmed_required
def decide(slug: str):
    component = _curated_component(slug)
    form = ReviewForm(prefix=f"c{component.id}")
    if not form.validate_on_submit() or not (form.approve.data or form.reject.data):
        if not form.errors:
            flash(_("Please choose to approve or reject."), "error")
        return _review_page({component.id: form}, 422)
    try:
        services.review_component(component, approve=bool(form.approve.data), note=form.note.data, by=current_user)
    except services.DirectoryError as error:
        if error.field == "note":
            form.note.errors = [*form.note.errors, str(error.message)]
        else:
            flash(str(error.message), "error")
        return _review_page({component.id: form}, 422)
    if component.status == ComponentStatus.APPROVED:
        flash(_("%(name)s is approved and now public.", name=component.name), "success")
    else:
        flash(_("%(name)s is rejected; the suggester is told why.", name=component.name), "success")
    return redirect(url_for("directory.review"))


@bp.route("/<slug>/startups", methods=["GET", "POST"])
@confirmed_required
def startups(slug: str):
    component = _curated_component(slug)
    search_text = (request.args.get("q") or "").strip()[:200]
    form = StartupLinkForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                startup = services.link_startup(component, int(form.startup_id.data))
            except services.DirectoryError as error:
                flash(str(error.message), "error")
                status = 422
            else:
                flash(_("%(name)s is linked.", name=startup.name), "success")
                return redirect(url_for("directory.startups", slug=component.slug))
        else:
            flash(" ".join(str(message) for messages in form.errors.values() for message in messages), "error")
            status = 422
    return render_template(
        "directory/startups.html",
        component=component,
        linked=queries.supported_startups(component, include_hidden=True),
        matches=queries.find_startups_to_link(component, search_text),
        search_text=search_text,
        form=form,
        startup_url=startup_url,
    ), status


@bp.post("/<slug>/startups/<int:startup_id>/remove")
@confirmed_required
def unlink_startup(slug: str, startup_id: int):
    component = _curated_component(slug)
    if not DeleteForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
    else:
        try:
            startup = services.unlink_startup(component, startup_id)
        except services.DirectoryError as error:
            flash(str(error.message), "error")
            return redirect(url_for("directory.startups", slug=component.slug))
        flash(_("%(name)s is no longer linked.", name=startup.name), "success")
    return redirect(url_for("directory.startups", slug=component.slug))
