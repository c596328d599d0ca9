"""The office's pages for schools: list, create, edit, import."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from seal_app.applications.services import applications_of_school
from seal_app.auth.decorators import roles_required
from seal_app.auth.models import Role
from seal_app.database import transaction
from seal_app.schools import services
from seal_app.schools.forms import ImportForm, SchoolForm
from seal_app.schools.models import School
from seal_app.security import accepts_uploads
from seal_app.views import get_or_404, page_number, save_versioned

bp = Blueprint("schools", __name__, url_prefix="/office/schools")
office_only = roles_required(Role.OFFICE)


@bp.get("/")
@office_only
def index():
    query_text = request.args.get("q", "")[:100]
    page = request.args.get("page", 1, type=page_number)
    pagination = services.search_schools(query_text, page, current_app.config["SCHOOLS_PER_PAGE"])
    return render_template("schools/index.html", pagination=pagination, query_text=query_text)


@bp.route("/new", methods=["GET", "POST"])
@office_only
def new():
    form = SchoolForm()
    if not form.is_submitted():
        form.district.data = current_app.config["DISTRICT_NAME"]
    if form.validate_on_submit():
        try:
            with transaction():
                school = services.create_school(form.values(), current_user)
        except services.DuplicateSchoolNumberError:
            form.school_number.errors.append(_("Eine Schule mit dieser Schulnummer gibt es schon."))
        else:
            flash(_("Die Schule „%(name)s“ wurde angelegt.", name=school.name), "success")
            return redirect(url_for("schools.show", school_id=school.id))
    return render_template("schools/form.html", form=form, school=None)


@bp.get("/<int:school_id>")
@office_only
def show(school_id: int):
    school = get_or_404(School, school_id)
    return render_template(
        "schools/show.html",
        school=school,
        staff=services.staff_of(school),
        applications=applications_of_school(school.id),
    )


@bp.route("/<int:school_id>/edit", methods=["GET", "POST"])
@office_only
def edit(school_id: int):
    school = get_or_404(School, school_id)
    form = SchoolForm(obj=school)
    if not form.is_submitted():
        form.school_type.data = school.school_type.value
    stale = None

    def save() -> None:
        services.update_school(school, form.values(), form.version.data, current_user)

    if form.validate_on_submit():
        try:
            saved, stale = save_versioned(form, save, lambda: school)
        except services.DuplicateSchoolNumberError:
            form.school_number.errors.append(_("Eine Schule mit dieser Schulnummer gibt es schon."))
        else:
            if saved:
                flash(_("Die Änderungen sind gespeichert."), "success")
                return redirect(url_for("schools.show", school_id=school.id))
    return render_template("schools/form.html", form=form, school=school, stale=stale)


@bp.route("/import", methods=["GET", "POST"])
@accepts_uploads
@office_only
def import_csv():
    form = ImportForm()
    problems: list[tuple[int, str]] = []
    if form.validate_on_submit():
        try:
            with transaction():
                report = services.import_csv(form.file.data.read(), current_user)
        except services.ImportFailedError as error:
            problems = error.problems
        else:
            flash(
                _(
                    "Import abgeschlossen: %(created)d Schulen neu angelegt, "
                    "%(updated)d aktualisiert.",
                    created=report.created,
                    updated=report.updated,
                ),
                "success",
            )
            return redirect(url_for("schools.index"))
    return render_template("schools/import.html", form=form, problems=problems)
