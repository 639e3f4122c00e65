"""Enrol and turn off TOTP on the account page."""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from samverka.modules.auth import sessions, totp
from samverka.modules.auth.forms import CodeForm, ConfirmPasswordForm
from samverka.modules.auth.passwords import verify_password
from samverka.modules.auth.views import bp

#: The secret being enrolled lives in the signed session until the first code confirms it.
_ENROL_KEY = "totp_enrol"


@bp.route("/konto/tvastegs", methods=["GET", "POST"])
@login_required
def totp_enrol():
    if current_user.totp_secret:
        flash(_("Tvåstegsverifiering är redan på."), "info")
        return redirect(url_for("auth.account"))
    secret = session.get(_ENROL_KEY)
    if not isinstance(secret, str):
        secret = session[_ENROL_KEY] = totp.new_secret()
    form = CodeForm()
    if form.validate_on_submit():
        codes = totp.enable(current_user, secret, form.code.data)
        if codes is not None:
            session.pop(_ENROL_KEY, None)
            sessions.mark_second_factor()
            flash(_("Tvåstegsverifiering är på."), "success")
            return render_template("auth/recovery_codes.html", codes=codes)
        form.code.errors = [_("Koden stämmer inte. Kontrollera att klockan i telefonen går rätt.")]
    uri = totp.provisioning_uri(secret, current_user)
    return render_template("auth/totp_enrol.html", form=form, secret=secret, qr=totp.qr_svg(uri)), (
        422 if form.errors else 200
    )


@bp.route("/konto/tvastegs/av", methods=["POST"])
@login_required
def totp_disable():
    form = ConfirmPasswordForm()
    if not form.validate_on_submit() or not verify_password(
        current_user.password_hash, form.password.data or ""
    ):
        flash(_("Lösenordet stämmer inte. Tvåstegsverifieringen är kvar."), "error")
        return redirect(url_for("auth.account"))
    totp.disable(current_user)
    flash(_("Tvåstegsverifiering är avstängd."), "success")
    return redirect(url_for("auth.account"))
