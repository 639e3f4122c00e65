"""Log in, log out, change password, personal access tokens."""

from __future__ import annotations

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
from samverka.modules.auth import operations as ops
from samverka.modules.auth import sessions
from samverka.modules.auth.forms import LoginForm, PasswordForm, TokenForm
from samverka.modules.auth.models import ApiToken

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after log-in (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/logga-in", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = LoginForm()
    if form.validate_on_submit():
        settings = current_app.config["SETTINGS"]
        if ops.throttled(
            form.email.data,
            request.remote_addr,
            settings.login_max_failures,
            settings.login_window_minutes,
        ):
            abort(
                429,
                _(
                    "För många misslyckade inloggningar. Vänta %(minutes)d minuter och försök igen.",
                    minutes=settings.login_window_minutes,
                ),
            )
        user = ops.authenticate(form.email.data, form.password.data, request.remote_addr)
        if user is not None:
            session.clear()  # a fresh session on log-in (no fixation)
            sessions.start(user)
            login_user(user)
            flash(_("Du är inloggad."), "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("web.home"))
        form.password.errors = [_("Fel e-postadress eller lösenord.")]
    return render_template("auth/login.html", form=form)


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
    return render_template(
        "auth/account.html",
        password_form=password_form or PasswordForm(),
        token_form=token_form or TokenForm(),
        tokens=tokens,
        new_token=new_token,
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
