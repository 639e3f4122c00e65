"""Organisation pages (on the forums blueprint): members view, coordinators edit."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from samverka.modules.auth.models import MunicipalRole
from samverka.modules.forums import forum_ops, queries
from samverka.modules.forums.forum_forms import ConfirmForm, OrganisationForm
from samverka.modules.forums.models import Organisation
from samverka.modules.forums.views_forums import bp
from samverka.modules.forums.vocabulary import PRINCIPAL_LABELS
from samverka.web import nav
from samverka.web.conflicts import check_version
from samverka.web.pagination import paginate
from samverka.web.permissions import is_coordinator, tenant_role_required


@bp.route("/organisationer")
@tenant_role_required()
def organisations():
    """The organisations taking part in the municipality's forums, active ones first."""
    page = paginate(queries.organisations_query())
    return render_template(
        "forums/organisations.html",
        page=page,
        principal_labels=PRINCIPAL_LABELS,
        can_edit=is_coordinator(),
        confirm=ConfirmForm(),
    )


@bp.route("/organisationer/ny", methods=["GET", "POST"])
@tenant_role_required(MunicipalRole.coordinator)
def create_organisation():
    form = OrganisationForm()
    if form.validate_on_submit():
        organisation = forum_ops.create_organisation(form.data)
        flash(_("Organisationen %(name)s är tillagd.", name=organisation.name), "success")
        return redirect(url_for("forums.organisations"))
    return render_template("forums/organisation_form.html", form=form, organisation=None)


@bp.route("/organisationer/<id:organisation_id>/andra", methods=["GET", "POST"])
@tenant_role_required(MunicipalRole.coordinator)
def edit_organisation(organisation_id: int):
    organisation = queries.organisation_or_404(organisation_id)
    form = _stored_form(organisation) if request.method == "GET" else OrganisationForm()
    if form.validate_on_submit():
        check_version(
            organisation,
            form,
            lambda: _stored_form(organisation),
            back=url_for("forums.organisations"),
        )
        if forum_ops.update_organisation(organisation, form.data):
            flash(_("Ändringarna är sparade."), "success")
        else:
            flash(_("Inget ändrades."), "info")
        return redirect(url_for("forums.organisations"))
    return render_template("forums/organisation_form.html", form=form, organisation=organisation)


def _stored_form(organisation: Organisation) -> OrganisationForm:
    """The form filled from the stored organisation, at its stored version."""
    form = OrganisationForm(formdata=None, obj=organisation)
    form.principal.data = organisation.principal.value
    return form


@bp.route("/organisationer/<id:organisation_id>/inaktivera", methods=["POST"])
@tenant_role_required(MunicipalRole.coordinator)
def deactivate_organisation(organisation_id: int):
    return _set_active(organisation_id, False)


@bp.route("/organisationer/<id:organisation_id>/aktivera", methods=["POST"])
@tenant_role_required(MunicipalRole.coordinator)
def activate_organisation(organisation_id: int):
    return _set_active(organisation_id, True)


def _set_active(organisation_id: int, active: bool):
    organisation = queries.organisation_or_404(organisation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    forum_ops.set_organisation_active(organisation, active)
    if active:
        flash(_("%(name)s är aktiv igen.", name=organisation.name), "success")
    else:
        flash(
            _(
                "%(name)s är inaktiverad. Den finns kvar i befintliga forum och i historiken.",
                name=organisation.name,
            ),
            "success",
        )
    return redirect(url_for("forums.organisations"))


nav.register("tenant", "forums.organisations", _l("Organisationer"), order=60)
