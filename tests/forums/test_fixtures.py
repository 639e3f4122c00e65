"""The forum factory builds what the other forum tests rely on."""

import sqlalchemy as sa


def test_factory_forum_has_agenda_from_skeleton_on_planned_meetings(make_forum, in_tenant):
    from samverka.modules.forums.models import AgendaItem, Meeting

    made = make_forum("amal", past=2, future=2)
    with in_tenant("amal") as session:
        planned = session.get(Meeting, made["meeting_ids"][-1])
        titles = [i.title for i in planned.agenda_items]
        assert titles[0].startswith("Uppföljning")
        assert session.scalar(sa.select(sa.func.count()).select_from(AgendaItem)) >= 8
