"""Shared set-up for the meeting page tests: a forum with a convener, a member and outsiders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests.conftest import csrf_token


@dataclass
class MeetingWorld:
    """Ids and accounts for one Åmål forum; ``url(i)`` is the page of meeting ``i``."""

    forum_id: int
    meeting_ids: list[int]
    member_ids: list[int]
    organisation_ids: dict[str, int]
    convener: Any
    member: Any
    outsider: Any
    coordinator: Any

    def url(self, index: int = -2, suffix: str = "") -> str:
        return f"/k/amal/forum/{self.forum_id}/moten/{self.meeting_ids[index]}{suffix}"


def build_world(create_user, make_forum) -> MeetingWorld:
    """One held meeting and two planned ones; the convener and member have accounts."""
    convener = create_user(municipalities={"amal": "member"})
    member = create_user(municipalities={"amal": "member"})
    outsider = create_user(municipalities={"amal": "member"})
    coordinator = create_user(municipalities={"amal": "coordinator"})
    made = make_forum(
        "amal",
        members=[
            ("Anna Rektor", "school", convener),
            ("Sara Socialsekreterare", "ifo", member),
            ("Per Polis", "police", None),
        ],
        past=1,
        future=2,
    )
    return MeetingWorld(
        made["forum_id"],
        made["meeting_ids"],
        made["member_ids"],
        made["organisation_ids"],
        convener,
        member,
        outsider,
        coordinator,
    )


def post(client, path: str, data: dict | None = None, **kwargs: Any):
    """POST a form the way a browser does, with the page's CSRF token."""
    payload = {"csrf_token": csrf_token(client, "/k/amal/")}
    payload.update(data or {})
    return client.post(path, data=payload, **kwargs)
