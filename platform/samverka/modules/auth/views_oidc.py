"""Sign-in through the municipality's identity provider: start and callback."""

from __future__ import annotations

import logging

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from samverka.modules.auth import oidc
from samverka.modules.auth import operations as ops
from samverka.modules.auth.views import bp, sign_in

log = logging.getLogger(__name__)
_PENDING = "oidc_pending"


def _redirect_uri() -> str:
    """From the configured public address, so it matches what the provider has registered."""
    return current_app.config["SETTINGS"].base_url + url_for("auth.oidc_callback")


@bp.route("/logga-in/kommun/<slug:slug>", methods=["POST"])
def oidc_start(slug: str):
    """POST (with CSRF), so no other site can start a sign-in in this browser."""
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    provider = oidc.provider_for(slug)
    if provider is None:
        abort(404)
    try:
        url, pending = oidc.begin(provider, _redirect_uri())
    except oidc.OidcError as exc:
        log.warning("identity provider of %s unusable: %s", slug, exc)
        return _refused(_("Kommunens inloggningstjänst svarar inte just nu. Försök igen senare."))
    session[_PENDING] = pending
    return redirect(url)


def _refused(message: str):
    return render_template("auth/oidc_refused.html", message=message), 403


@bp.route("/logga-in/kommun-svar")
def oidc_callback():
    pending = session.pop(_PENDING, None)
    if not isinstance(pending, dict):
        return _refused(_("Inloggningen gick inte att slutföra. Börja om från inloggningssidan."))
    provider = oidc.provider_for(pending.get("slug", ""))
    if provider is None:
        abort(404)
    try:
        claims = oidc.finish(provider, pending, request.args.to_dict(), _redirect_uri())
    except oidc.OidcError as exc:
        log.warning("sign-in through %s refused: %s", provider.tenant.slug, exc)
        return _refused(_("Inloggningen gick inte att slutföra. Börja om från inloggningssidan."))
    email = claims.get("email")
    user = ops.find_user_by_email(email) if isinstance(email, str) else None
    if (
        claims.get("email_verified") is not True
        or user is None
        or not user.active
        or user.membership_in(provider.tenant_id) is None
    ):
        return _refused(
            _(
                "Det finns inget konto i Samverka för den inloggningen i %(name)s. "
                "Be kommunens samordnare om en inbjudan.",
                name=provider.tenant.name,
            )
        )
    sign_in(user, method="oidc")
    return redirect(url_for("web.home"))
