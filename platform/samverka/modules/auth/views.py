"""Log in, log out, change password, personal access tokens."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from samverka.db.base import utcnow
from samverka.extensions import db
from samverka.modules.auth import oidc, sessions, totp
from samverka.modules.auth import operations as ops
from samverka.modules.auth.forms import (
    CodeForm,
    ConfirmPasswordForm,
    LoginForm,
    PasswordForm,
    TokenForm,
)
from samverka.modules.auth.models import ApiToken, User
from samverka.modules.auth.organisations import organisation_name

bp = Blueprint("auth", __name__)
#: Session key of a log-in that passed the password and waits for its TOTP code.
PENDING_KEY = "mfa_pending"
PENDING_SECONDS = 300


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after log-in (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def throttle_or_429(email: str) -> None:
    """Refuse while too many failures came for this account or from this address."""
    settings = current_app.config["SETTINGS"]
    if ops.throttled(
        email, request.remote_addr, settings.login_max_failures, settings.login_window_minutes
    ):
        abort(
            429,
            _(
                "För många misslyckade inloggningar. Vänta %(minutes)d minuter och försök igen.",
                minutes=settings.login_window_minutes,
            ),
        )


def sign_in(user: User, method: str = "password", second_factor: bool = False) -> None:
    """A fresh session on sign-in (no fixation), recording how strong the sign-in was."""
    session.clear()
    sessions.start(user, method=method, second_factor=second_factor)
    login_user(user)
    flash(_("Du är inloggad."), "success")


@bp.route("/logga-in", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = LoginForm()
    if form.validate_on_submit():
        throttle_or_429(form.email.data)
        user = ops.authenticate(form.email.data, form.password.data, request.remote_addr)
        target = _safe_next(request.args.get("next"))
        if user is not None and user.totp_secret:
            session.clear()
            session[PENDING_KEY] = {
                "uid": user.id,
                "nonce": user.session_nonce,
                "at": int(time.time()),
                "next": target,
            }
            return redirect(url_for("auth.second_factor"))
        if user is not None:
            sign_in(user)
            return redirect(target or url_for("web.home"))
        form.password.errors = [_("Fel e-postadress eller lösenord.")]
    return render_template("auth/login.html", form=form, providers=oidc.providers())


def _pending_user() -> tuple[User, dict] | None:
    """The account that gave a right password and still owes its second factor."""
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    if not isinstance(pending.get("uid"), int):
        return None
    user = db.session.get(User, pending["uid"])
    if user is None or not user.active or user.session_nonce != pending.get("nonce"):
        return None
    if not user.totp_secret:
        return None
    return user, pending


@bp.route("/logga-in/kod", methods=["GET", "POST"])
def second_factor():
    found = _pending_user()
    if found is None:
        session.pop(PENDING_KEY, None)
        flash(_("Logga in igen."), "info")
        return redirect(url_for("auth.login"))
    user, pending = found
    form = CodeForm()
    if form.validate_on_submit():
        throttle_or_429(user.email)
        if totp.verify(user, form.code.data):
            sign_in(user, second_factor=True)
            return redirect(pending.get("next") or url_for("web.home"))
        ops.record_failure(user.email, request.remote_addr)
        form.code.errors = [_("Koden stämmer inte. Ta nästa kod i appen, eller en reservkod.")]
        # 200, not 422: the failure must be committed to count towards the throttle.
    return render_template("auth/second_factor.html", form=form)


@bp.route("/logga-ut", methods=["POST"])
def logout():
    sessions.end_current()
    logout_user()
    flash(_("Du är utloggad."), "info")
    return redirect(url_for("auth.login"))


def _account_page(
    password_form: PasswordForm | None = None,
    token_form: TokenForm | None = None,
    new_token: str | None = None,
) -> str:
    """The account page with the user's open tokens, also when a form comes back with errors."""
    tokens = db.session.scalars(
        sa.select(ApiToken)
        .where(ApiToken.user_id == current_user.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc())
    ).all()
    memberships = [
        (m, organisation_name(m.tenant, m.organisation_id))
        for m in sorted(current_user.memberships, key=lambda m: m.tenant.name)
        if m.tenant.active
    ]
    return render_template(
        "auth/account.html",
        password_form=password_form or PasswordForm(),
        token_form=token_form or TokenForm(),
        totp_off_form=ConfirmPasswordForm(),
        tokens=tokens,
        new_token=new_token,
        memberships=memberships,
        strong=sessions.session_is_strong(),
    )


@bp.route("/konto", methods=["GET"])
@login_required
def account():
    return _account_page()


@bp.route("/konto/losenord", methods=["POST"])
@login_required
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            ops.change_password(current_user, form.current.data, form.new.data)
        except ops.AccountError as exc:
            form.current.errors = [str(exc)]
        else:
            flash(_("Lösenordet är bytt. Dina andra inloggningar har avslutats."), "success")
            return redirect(url_for("auth.account"))
    return _account_page(password_form=form), 422


@bp.route("/konto/nycklar", methods=["POST"])
@login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return _account_page(token_form=form), 422
    _token, plain = ops.create_token(current_user, form.name.data, scope=form.scope.data)
    return _account_page(new_token=plain)


@bp.route("/konto/nycklar/<id:token_id>/aterkalla", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    token.revoked_at = utcnow()
    flash(_("Nyckeln är återkallad."), "success")
    return redirect(url_for("auth.account"))


# The other account pages share this blueprint.
from samverka.modules.auth import views_links, views_oidc, views_totp  # noqa: E402, F401
