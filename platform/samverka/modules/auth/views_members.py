"""A municipality's accounts, for its coordinators: invite, role and organisation, remove, deactivate.

Everything is scoped to the bound municipality: another municipality's URL answers 404 before
any of this runs, and an account without a membership here is 404 too. Changes are audited in
the municipality's own trail, by account id (no names or addresses in the trail).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from samverka.extensions import db
from samverka.modules.audit.operations import record
from samverka.modules.auth import links
from samverka.modules.auth import operations as ops
from samverka.modules.auth.forms import InviteForm, MembershipForm
from samverka.modules.auth.forms import choices as choices_of
from samverka.modules.auth.models import Membership, MunicipalRole, User
from samverka.modules.auth.organisations import organisation_choices
from samverka.web import nav
from samverka.web.context import current_tenant
from samverka.web.permissions import is_coordinator, tenant_role_required

bp = Blueprint("members", __name__, url_prefix="/k/<slug:tenant>/konton")
coordinators_only = tenant_role_required(MunicipalRole.coordinator)


def _with_organisations(form: MembershipForm, choices: dict[int, str]) -> MembershipForm:
    form.organisation.choices = choices_of([(None, _("Ingen angiven")), *choices.items()])
    return form


def _membership_or_404(user_id: int) -> Membership:
    membership = db.session.scalar(
        sa.select(Membership).where(
            Membership.user_id == user_id, Membership.tenant_id == current_tenant().id
        )
    )
    if membership is None:
        abort(404)
    return membership


def _page(invite_form: InviteForm | None = None, status: int = 200):
    tenant = current_tenant()
    choices = organisation_choices(tenant)
    memberships = db.session.scalars(
        sa.select(Membership)
        .where(Membership.tenant_id == tenant.id)
        .options(selectinload(Membership.user))
    ).all()
    rows = sorted(memberships, key=lambda m: m.user.name.casefold())
    forms = {
        m.user_id: _with_organisations(
            MembershipForm(
                formdata=None,
                prefix=f"m{m.user_id}",
                role=m.role.value,
                organisation=m.organisation_id,
            ),
            choices,
        )
        for m in rows
    }
    return render_template(
        "auth/members.html",
        rows=rows,
        forms=forms,
        organisations=choices,
        invite_form=invite_form or _with_organisations(InviteForm(), choices),
    ), status


@bp.route("/")
@coordinators_only
def index():
    return _page()


@bp.route("/bjud-in", methods=["POST"])
@coordinators_only
def invite():
    tenant = current_tenant()
    form = _with_organisations(InviteForm(), organisation_choices(tenant))
    if not form.validate_on_submit():
        return _page(form, 422)
    try:
        user = links.invite(
            form.email.data,
            form.name.data or "",
            invited_by=current_user,
            tenant=tenant,
            role=MunicipalRole(form.role.data),
            organisation_id=form.organisation.data,
        )
    except ops.AccountError as exc:
        form.email.errors = [str(exc)]
        return _page(form, 422)
    membership = user.membership_in(tenant.id)
    record(
        "invite",
        "membership",
        membership.id,
        "Inbjudan eller nytt medlemskap",
        user_id=user.id,
        role=membership.role.value,
        organisation_id=membership.organisation_id,
    )
    flash(_("Inbjudan är skickad."), "success")
    return redirect(url_for("members.index"))


@bp.route("/<id:user_id>/roll", methods=["POST"])
@coordinators_only
def change(user_id: int):
    tenant = current_tenant()
    membership = _membership_or_404(user_id)
    if user_id == current_user.id:
        abort(403, _("Du kan inte ändra din egen roll. Be en annan samordnare."))
    form = _with_organisations(MembershipForm(prefix=f"m{user_id}"), organisation_choices(tenant))
    if not form.validate_on_submit():
        flash(_("Välj en roll och en organisation i listan."), "error")
        return _page(status=422)
    try:
        ops.grant_membership(
            membership.user, tenant, MunicipalRole(form.role.data), form.organisation.data
        )
    except ops.AccountError as exc:
        flash(str(exc), "error")
        return _page(status=422)
    record(
        "update",
        "membership",
        membership.id,
        "Roll eller organisation ändrad",
        user_id=user_id,
        role=membership.role.value,
        organisation_id=membership.organisation_id,
    )
    flash(_("Ändringen är sparad."), "success")
    return redirect(url_for("members.index"))


@bp.route("/<id:user_id>/ta-bort", methods=["POST"])
@coordinators_only
def remove(user_id: int):
    membership = _membership_or_404(user_id)
    if user_id == current_user.id:
        abort(403, _("Du kan inte ta bort dig själv. Be en annan samordnare."))
    record("delete", "membership", membership.id, "Medlemskap borttaget", user_id=user_id)
    ops.revoke_membership(membership.user, current_tenant())
    flash(_("Personen har inte längre tillgång till kommunen."), "success")
    return redirect(url_for("members.index"))


@bp.route("/<id:user_id>/inaktivera", methods=["POST"])
@coordinators_only
def deactivate(user_id: int):
    """Lock the account out everywhere; only for accounts that belong to this municipality alone."""
    membership = _membership_or_404(user_id)
    user: User = membership.user
    if (
        user_id == current_user.id
        or user.is_platform_admin
        or len(user.memberships) > 1
        or user.region_roles
    ):
        abort(
            403,
            _(
                "Kontot används även utanför kommunen. Ta bort medlemskapet i stället, "
                "eller be plattformens administratör."
            ),
        )
    ops.set_active(user, False)
    record("deactivate", "membership", membership.id, "Konto inaktiverat", user_id=user_id)
    flash(_("Kontot är inaktiverat och alla dess inloggningar har avslutats."), "success")
    return redirect(url_for("members.index"))


nav.register("tenant", "members.index", _l("Konton"), allowed=is_coordinator, order=75)
