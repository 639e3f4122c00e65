"""One-time links: set a password from an invite, ask for and use a password reset."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from samverka.modules.auth import links
from samverka.modules.auth import operations as ops
from samverka.modules.auth.forms import ForgotForm, PlatformInviteForm, SetPasswordForm, choices
from samverka.modules.auth.models import Membership, MunicipalRole
from samverka.modules.auth.models_links import LinkPurpose
from samverka.modules.auth.views import bp, throttle_or_429
from samverka.modules.tenancy.models import TenantKind
from samverka.modules.tenancy.queries import all_tenants
from samverka.web.permissions import platform_admin_required


@bp.route("/konto/lank/<token:token>", methods=["GET", "POST"])
def use_link(token: str):
    """The link in an invite or reset e-mail: choose a password, then log in."""
    link = links.open_link(token)
    if link is None:
        return render_template("auth/link_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            links.use_link(link, form.new.data)
        except ops.AccountError as exc:
            form.new.errors = [str(exc)]
        else:
            flash(_("Ditt lösenord är sparat. Logga in med det."), "success")
            return redirect(url_for("auth.login"))
    return render_template(
        "auth/set_password.html", form=form, invite=link.purpose == LinkPurpose.invite
    ), (422 if form.errors else 200)


@bp.route("/glomt-losenord", methods=["GET", "POST"])
def forgot_password():
    """Same answer whether or not the address has an account (no enumeration)."""
    form = ForgotForm()
    if form.validate_on_submit():
        throttle_or_429(form.email.data)
        # Counted like a failed log-in, so the form cannot be used to flood anyone's inbox.
        ops.record_failure(form.email.data, request.remote_addr)
        links.request_reset(form.email.data)
        flash(
            _(
                "Om adressen hör till ett konto har vi skickat en länk för att välja nytt "
                "lösenord. Länken gäller en timme."
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form), (422 if form.errors else 200)


def _audit_in(schema: str, admin_id: int, membership: Membership) -> None:
    """The municipality's trail shows the platform's grant too, written once the grant commits."""
    from samverka.db.session import tenant_session
    from samverka.modules.audit.models import AuditEvent
    from samverka.web.transaction import after_commit

    event = {
        "user_id": admin_id,
        "action": "invite",
        "object_type": "membership",
        "object_id": membership.id,
        "summary": "Inbjudan av plattformens administratör",
        "changes": {"user_id": membership.user_id, "role": membership.role.value},
    }

    def write() -> None:
        with tenant_session(schema) as session:
            session.add(AuditEvent(**event))
            session.commit()

    after_commit(write)


@bp.route("/admin/konton/bjud-in", methods=["GET", "POST"])
@platform_admin_required
def platform_invite():
    """A platform administrator invites someone, into any municipality or none."""
    from flask_login import current_user

    municipalities = [t for t in all_tenants() if t.kind == TenantKind.municipality and t.active]
    form = PlatformInviteForm()
    form.municipality.choices = choices(
        [("", _("Ingen kommun ännu")), *((t.slug, t.name) for t in municipalities)]
    )
    if form.validate_on_submit():
        tenant = next((t for t in municipalities if t.slug == form.municipality.data), None)
        try:
            user = links.invite(
                form.email.data,
                form.name.data or "",
                invited_by=current_user,
                tenant=tenant,
                role=MunicipalRole(form.role.data),
            )
        except ops.AccountError as exc:
            form.email.errors = [str(exc)]
        else:
            if tenant is not None:
                _audit_in(tenant.schema_name, current_user.id, user.membership_in(tenant.id))
            flash(_("Inbjudan är skickad."), "success")
            return redirect(url_for("admin.users"))
    return render_template("auth/platform_invite.html", form=form), (422 if form.errors else 200)
