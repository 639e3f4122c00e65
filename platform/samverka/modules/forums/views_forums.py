"""Forum pages: list, create from a built-in type, settings, and the forum's members."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from samverka.modules.auth.models import MunicipalRole
from samverka.modules.forums import forum_ops, queries
from samverka.modules.forums.forum_forms import ConfirmForm, ForumForm, MemberForm, choices
from samverka.modules.forums.forum_labels import (
    MEETING_STATE_LABELS,
    STATE_LABELS,
    describe_cadence,
    format_iso_dates,
    forum_type_label,
    organisation_type_label,
)
from samverka.modules.forums.models import Forum, ForumMember, ForumState, Meeting
from samverka.modules.forums.permissions import (
    can_edit_forum,
    can_view_minutes,
    can_work_in_meetings,
    require,
)
from samverka.modules.forums.vocabulary import CASE_RULE_LABELS, FORUM_TYPES, LEVEL_LABELS
from samverka.web import nav
from samverka.web.conflicts import check_version
from samverka.web.pagination import paginate
from samverka.web.permissions import is_coordinator, tenant_role_required

bp = Blueprint("forums", __name__, url_prefix="/k/<slug:tenant>", template_folder="templates")

_STATE_FILTERS = {
    "aktiva": ForumState.active,
    "pausade": ForumState.paused,
    "avslutade": ForumState.closed,
}


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {
        "forum_state_labels": STATE_LABELS,
        "meeting_state_labels": MEETING_STATE_LABELS,
        "forum_level_labels": LEVEL_LABELS,
        "forum_case_rule_labels": CASE_RULE_LABELS,
        "forum_type_label": forum_type_label,
        "organisation_type_label": organisation_type_label,
    }


def meeting_url(forum: Forum, meeting: Meeting) -> str:
    return url_for("meetings.show", forum_id=forum.id, meeting_id=meeting.id)


@bp.route("/forum")
@tenant_role_required()
def index():
    """All of the municipality's forums, optionally by state."""
    chosen = request.args.get("status", "alla")
    state = _STATE_FILTERS.get(chosen)
    if state is None:
        chosen = "alla"
    page = paginate(queries.forums_query(state))
    ids = [f.id for f in page.items]
    return render_template(
        "forums/index.html",
        page=page,
        chosen=chosen,
        filters=[("alla", _("Alla"))]
        + [(k, str(STATE_LABELS[v])) for k, v in _STATE_FILTERS.items()],
        next_starts=queries.next_meeting_starts(ids),
        member_counts=queries.member_counts(ids),
        can_create=is_coordinator(),
    )


@bp.route("/forum/nytt", methods=["GET", "POST"])
@tenant_role_required(MunicipalRole.coordinator)
def create():
    """Step 1: choose a built-in forum type; step 2: adapt the prefilled form."""
    type_key = request.args.get("typ", "")
    if type_key not in FORUM_TYPES:
        return render_template("forums/choose_type.html", forum_types=FORUM_TYPES.values())
    organisations = queries.active_organisations()
    defaults = forum_ops.defaults_for_type(type_key, organisations)
    form = ForumForm(data=defaults.values if request.method == "GET" else None)
    if request.method == "GET":
        form.organisations.data = defaults.organisation_ids
    _fill_choices(form, organisations, convener_accounts=True)
    if form.validate_on_submit():
        convener = _account(form.convener.data) if form.convener.data else None
        forum = forum_ops.create_forum(
            form.data,
            form.organisations.data or [],
            form.agenda_lines(),
            convener_user=(convener.id, convener.name) if convener else None,
        )
        flash(_("Forumet %(name)s är skapat.", name=forum.name), "success")
        return redirect(url_for("forums.show", forum_id=forum.id))
    return render_template(
        "forums/form.html", form=form, forum=None, forum_type=FORUM_TYPES[type_key]
    )


@bp.route("/forum/<id:forum_id>")
@tenant_role_required()
def show(forum_id: int):
    forum = queries.forum_with_people_or_404(forum_id)
    meetings = queries.upcoming_meetings(forum.id, limit=6)
    recent = queries.recent_meetings(forum.id, limit=6)
    return render_template(
        "forums/show.html",
        forum=forum,
        members=[m for m in forum.members if m.active],
        meetings=[(m, meeting_url(forum, m)) for m in meetings],
        recent=[(m, meeting_url(forum, m)) for m in recent],
        can_work=can_work_in_meetings(forum),
        # E-mail and phone only for the forum's own members and coordinators.
        show_contacts=can_view_minutes(forum),
        cadence_text=describe_cadence(forum),
        cadence_dates=format_iso_dates(forum.cadence_dates),
        exceptions=format_iso_dates(forum.cadence_exceptions),
        can_edit=can_edit_forum(forum),
        confirm=ConfirmForm(),
    )


@bp.route("/forum/<id:forum_id>/andra", methods=["GET", "POST"])
@tenant_role_required()
def edit(forum_id: int):
    forum = queries.forum_or_404(forum_id)
    require(can_edit_forum(forum))
    # Keep organisations already in the forum selectable even if since deactivated.
    organisations = queries.active_organisations()
    organisations += [o for o in forum.organisations if not o.active]
    if request.method == "GET":
        form = _stored_forum_form(forum, organisations)
    else:
        form = ForumForm()
        _fill_choices(form, organisations, convener_members=forum.members)
    if form.validate_on_submit():
        check_version(
            forum,
            form,
            lambda: _stored_forum_form(forum, organisations),
            back=url_for("forums.show", forum_id=forum.id),
        )
        changed = forum_ops.update_forum(
            forum,
            form.data,
            form.organisations.data or [],
            form.agenda_lines(),
            form.convener.data or None,
        )
        if changed:
            flash(_("Ändringarna är sparade."), "success")
        else:
            flash(_("Inget ändrades."), "info")
        return redirect(url_for("forums.show", forum_id=forum.id))
    return render_template(
        "forums/form.html", form=form, forum=forum, forum_type=FORUM_TYPES.get(forum.forum_type)
    )


@bp.route("/forum/<id:forum_id>/medlemmar/ny", methods=["GET", "POST"])
@tenant_role_required()
def add_member(forum_id: int):
    forum = queries.forum_or_404(forum_id)
    require(can_edit_forum(forum))
    form = MemberForm()
    _fill_member_choices(form, forum)
    if form.validate_on_submit() and _account_is_free(form, forum, None):
        account = _account(form.user_id.data) if form.user_id.data else None
        forum_ops.add_member(forum, _member_data(form, account), account.name if account else None)
        flash(_("Medlemmen är tillagd."), "success")
        return redirect(url_for("forums.show", forum_id=forum.id) + "#medlemmar")
    return render_template("forums/member_form.html", form=form, forum=forum, member=None)


@bp.route("/forum/<id:forum_id>/medlemmar/<id:member_id>/andra", methods=["GET", "POST"])
@tenant_role_required()
def edit_member(forum_id: int, member_id: int):
    forum = queries.forum_or_404(forum_id)
    member = queries.member_or_404(forum, member_id)
    require(can_edit_forum(forum))
    if request.method == "GET":
        form = _stored_member_form(forum, member)
    else:
        form = MemberForm()
        _fill_member_choices(form, forum, member)
    if form.validate_on_submit() and _account_is_free(form, forum, member):
        check_version(
            member,
            form,
            lambda: _stored_member_form(forum, member),
            back=url_for("forums.show", forum_id=forum.id) + "#medlemmar",
        )
        account = _account(form.user_id.data) if form.user_id.data else None
        forum_ops.update_member(
            forum, member, _member_data(form, account), account.name if account else None
        )
        flash(_("Ändringarna är sparade."), "success")
        return redirect(url_for("forums.show", forum_id=forum.id) + "#medlemmar")
    return render_template("forums/member_form.html", form=form, forum=forum, member=member)


@bp.route("/forum/<id:forum_id>/medlemmar/<id:member_id>/ta-bort", methods=["POST"])
@tenant_role_required()
def remove_member(forum_id: int, member_id: int):
    forum = queries.forum_or_404(forum_id)
    member = queries.member_or_404(forum, member_id)
    require(can_edit_forum(forum))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    forum_ops.remove_member(forum, member)
    flash(_("Personen är borttagen ur forumet."), "success")
    return redirect(url_for("forums.show", forum_id=forum.id) + "#medlemmar")


# --- helpers ---------------------------------------------------------------------------------


def _stored_forum_form(forum: Forum, organisations: list) -> ForumForm:
    """The edit form filled from the stored forum, at its stored version."""
    form = ForumForm(formdata=None, data=_forum_data(forum))
    _fill_choices(form, organisations, convener_members=forum.members)
    form.organisations.data = [o.id for o in forum.organisations]
    form.convener.data = forum.convener.id if forum.convener else 0
    return form


def _stored_member_form(forum: Forum, member: ForumMember) -> MemberForm:
    """The edit form filled from the stored member, at its stored version."""
    form = MemberForm(formdata=None, obj=member)
    form.user_id.data = member.user_id or 0
    form.organisation_id.data = member.organisation_id or 0
    _fill_member_choices(form, forum, member)
    return form


def _forum_data(forum: Forum) -> dict[str, Any]:
    return {
        "version": forum.version,
        "forum_type": forum.forum_type,
        "name": forum.name,
        "purpose": forum.purpose,
        "level": forum.level.value,
        "case_rule": forum.case_rule.value,
        "age_min": forum.age_min,
        "age_max": forum.age_max,
        "state": forum.state.value,
        "location": forum.location,
        "cadence_kind": forum.cadence_kind.value,
        "cadence_interval": forum.cadence_interval,
        "cadence_weekday": forum.cadence_weekday if forum.cadence_weekday is not None else 1,
        "cadence_week_of_month": forum.cadence_week_of_month or 1,
        "cadence_dates": list(forum.cadence_dates or []),
        "cadence_exceptions": list(forum.cadence_exceptions or []),
        "cadence_start": forum.cadence_start,
        "cadence_until": forum.cadence_until,
        "start_time": forum.start_time,
        "duration_minutes": forum.duration_minutes,
        "agenda_skeleton": "\n".join(forum.agenda_skeleton or []),
    }


def _fill_choices(
    form: ForumForm,
    organisations: list,
    convener_accounts: bool = False,
    convener_members: list[ForumMember] | None = None,
) -> None:
    form.organisations.choices = choices(
        (o.id, f"{o.name} ({organisation_type_label(o.type)})") for o in organisations
    )
    nobody = [(0, _("Ingen vald ännu"))]
    if convener_accounts:
        from samverka.modules.auth.queries import members_of

        people = [(u.id, u.name) for u in members_of(g.tenant.id)]
    else:
        people = [
            (m.id, f"{m.name} – {m.role_title}" if m.role_title else m.name)
            for m in convener_members or []
            if m.active
        ]
    form.convener.choices = choices(nobody + people)


def _fill_member_choices(form: MemberForm, forum: Forum, member: ForumMember | None = None) -> None:
    from samverka.modules.auth.queries import members_of

    accounts = [(0, _("Inget konto"))] + [(u.id, u.name) for u in members_of(g.tenant.id)]
    if member and member.user_id and member.user_id not in {a for a, _name in accounts}:
        accounts.append((member.user_id, _("Konto utan medlemskap i kommunen")))
    form.user_id.choices = choices(accounts)
    organisations = list(forum.organisations)
    # The member's own organisation stays selectable even if since deactivated.
    if member is not None and member.organisation is not None:
        organisations.append(member.organisation)
    organisations += queries.active_organisations()
    labels: dict[int, str] = {}
    for organisation in organisations:
        labels.setdefault(organisation.id, organisation.name)
    form.organisation_id.choices = choices([(0, _("Ingen organisation")), *labels.items()])


def _account(user_id: int):
    from samverka.extensions import db
    from samverka.modules.auth.models import User

    return db.session.get(User, user_id)


def _account_is_free(form: MemberForm, forum: Forum, member: ForumMember | None) -> bool:
    """One member record per account and forum; say so next to the field."""
    user_id = form.user_id.data
    if not user_id:
        return True
    taken = any(
        m.user_id == user_id and m.active and (member is None or m.id != member.id)
        for m in forum.members
    )
    if taken:
        form.user_id.errors = [*form.user_id.errors, _("Kontot är redan medlem i forumet.")]
        return False
    return True


def _member_data(form: MemberForm, account) -> dict[str, Any]:
    data = dict(form.data)
    if account is not None and not data.get("email"):
        data["email"] = account.email
    return data


nav.register("tenant", "forums.index", _l("Forum"), order=20)

from samverka.modules.forums import views_organisations  # noqa: E402, F401  (adds its routes)
