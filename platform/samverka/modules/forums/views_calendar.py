"""Calendar feeds by secret URL, the page that hands them out, and the coordinators' outbox.

The feeds are read by calendar apps that cannot log in, so they live outside the membership-checked
``/k/<slug:tenant>/`` prefix: the URL names the municipality and carries the secret token as the first
segment after ``/ical/`` (the one gunicorn's access log masks).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from samverka.db.session import bind_schema
from samverka.extensions import db
from samverka.modules.audit.operations import record
from samverka.modules.auth.models import MunicipalRole, User
from samverka.modules.forums import ical
from samverka.modules.forums.mailer import delivery_state, smtp_configured
from samverka.modules.forums.models import Forum, ForumMember, ForumState, OutboxMessage
from samverka.modules.forums.permissions import can_edit_forum, require
from samverka.modules.forums.queries import forum_or_404
from samverka.modules.tenancy.models import Tenant
from samverka.modules.tenancy.queries import active_municipality
from samverka.web import nav
from samverka.web.pagination import paginate
from samverka.web.permissions import is_coordinator, tenant_role_required

bp = Blueprint("calendar", __name__, template_folder="templates")


# --- Feeds (no login: the token is the credential) -----------------------------------------


def _feed_tenant(slug: str) -> Tenant:
    """Bind this request to the named active municipality; unknown ones answer 404."""
    tenant = active_municipality(slug)
    if tenant is None or tenant.schema_name is None:
        abort(404)
    bind_schema(db.session, tenant.schema_name)
    return tenant


def _meeting_url(tenant: Tenant):
    return lambda m: url_for(
        "meetings.show", tenant=tenant.slug, forum_id=m.forum_id, meeting_id=m.id, _external=True
    )


def _feed_response(tenant: Tenant, name: str, forum_ids: list[int], filename: str) -> Response:
    """The named calendar of these forums' meetings, served so that it is never cached."""
    body = ical.build_calendar(
        name, ical.feed_meetings(forum_ids), tenant.slug, _meeting_url(tenant), _("Inställt")
    )
    response = Response(body, mimetype="text/calendar")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/ical/<token:token>/<slug:kommun>/forum.ics")
def forum_feed(token: str, kommun: str):
    """One forum's meetings, for anyone holding the forum's feed URL."""
    tenant = _feed_tenant(kommun)
    forum = ical.forum_by_token(token)
    if forum is None:
        abort(404)
    return _feed_response(tenant, f"{forum.name} ({tenant.name})", [forum.id], "forum.ics")


@bp.route("/ical/<token:token>/<slug:kommun>/person.ics")
def person_feed(token: str, kommun: str):
    """The meetings of every forum the feed's owner is a member of, while they belong here."""
    tenant = _feed_tenant(kommun)
    feed = ical.feed_by_token(token)
    if feed is None:
        abort(404)
    user = db.session.get(User, feed.user_id)
    # An account that left the municipality (or was deactivated) takes its feed with it.
    if user is None or not user.active or user.role_in(tenant) is None:
        abort(404)
    return _feed_response(
        tenant,
        _("Mina möten i %(name)s", name=tenant.name),
        ical.member_forum_ids(feed.user_id),
        "mina-moten.ics",
    )


# --- The page that hands out the URLs --------------------------------------------------------


@bp.app_template_filter("webcal")
def webcal(url: str) -> str:
    """The feed address as a ``webcal:`` link, which calendar apps open as a subscription."""
    scheme, sep, rest = url.partition("://")
    return f"webcal://{rest}" if sep and scheme in ("http", "https") else url


def _forum_feed_url(forum: Forum) -> str:
    return url_for(
        "calendar.forum_feed", token=forum.ical_token, kommun=g.tenant.slug, _external=True
    )


def _visible_forums() -> list[Forum]:
    """Coordinators see every forum not closed; others the forums they are members of."""
    query = (
        sa.select(Forum)
        .where(Forum.state != ForumState.closed)
        .options(selectinload(Forum.members))
        .order_by(Forum.name)
    )
    if not is_coordinator():
        query = query.where(
            Forum.id.in_(
                sa.select(ForumMember.forum_id).where(
                    ForumMember.user_id == current_user.id, ForumMember.active
                )
            )
        )
    return list(db.session.scalars(query))


@bp.route("/k/<slug:tenant>/kalender")
@tenant_role_required()
def mine():
    """The user's own feed URL and the feeds of their forums, with how to subscribe."""
    feed = ical.personal_feed(current_user.id)
    person_url = url_for(
        "calendar.person_feed", token=feed.token, kommun=g.tenant.slug, _external=True
    )
    forums = [
        {"forum": f, "url": _forum_feed_url(f), "can_renew": can_edit_forum(f)}
        for f in _visible_forums()
    ]
    member_count = len(ical.member_forum_ids(current_user.id))
    return render_template(
        "calendar/mine.html",
        person_url=person_url,
        forums=forums,
        member_count=member_count,
    )


@bp.route("/k/<slug:tenant>/kalender/fornya", methods=["POST"])
@tenant_role_required()
def renew_mine():
    """Replace the personal feed's token: the old URL answers 404 from now on."""
    feed = ical.renew_personal_feed(current_user.id)
    record("renew_token", "personal_feed", feed.id, "Förnyade sin kalenderlänk")
    flash(_("Din kalenderlänk är förnyad. Den gamla adressen fungerar inte längre."), "success")
    return redirect(url_for("calendar.mine"))


@bp.route("/k/<slug:tenant>/kalender/forum/<id:forum_id>/fornya", methods=["POST"])
@tenant_role_required()
def renew_forum(forum_id: int):
    """Replace a forum's feed token (coordinators and the convener)."""
    forum = forum_or_404(forum_id)
    require(can_edit_forum(forum))
    ical.renew_forum_token(forum)
    record("renew_token", "forum", forum.id, f"Förnyade kalenderlänken för {forum.name}")
    flash(
        _(
            "Kalenderlänken för %(name)s är förnyad. Den gamla adressen fungerar inte längre.",
            name=forum.name,
        ),
        "success",
    )
    return redirect(url_for("calendar.mine"))


# --- Outbox ---------------------------------------------------------------------------------


@bp.route("/k/<slug:tenant>/utkorg")
@tenant_role_required(MunicipalRole.coordinator)
def outbox():
    """Reminders newest first, each with what became of it: sent, failed, queued or not sent."""
    page = paginate(
        sa.select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    )
    smtp = smtp_configured(current_app.config["SETTINGS"])
    return render_template(
        "calendar/outbox.html",
        page=page,
        smtp=smtp,
        states={m.id: delivery_state(m, smtp) for m in page.items},
    )


nav.register("tenant", "calendar.mine", _l("Kalender"), order=70)
nav.register("tenant", "calendar.outbox", _l("Utkorg"), allowed=is_coordinator, order=80)
