"""A forum for the API tests, with tokens for each kind of caller."""

from __future__ import annotations

import pytest

from tests.api.helpers import bearer


@pytest.fixture
def forum(app, create_user, make_forum):
    """A forum in Åmål: its convener ("inside") and a plain member with accounts, one member
    without; plus tokens of a coordinator, a municipality member outside the forum and a
    coordinator of another municipality."""
    inside = create_user(municipalities={"amal": "member"})
    plain = create_user(municipalities={"amal": "member"})
    made = make_forum(
        "amal",
        members=[
            ("Anna Rektor", "school", inside),
            ("Per Polis", "police", None),
            ("Sara Kurator", "school", plain),
        ],
        past=1,
        future=2,
    )
    made["inside"] = bearer(app, inside)
    made["plain"] = bearer(app, plain)
    made["coordinator"] = bearer(app, create_user(municipalities={"amal": "coordinator"}))
    made["outsider"] = bearer(app, create_user(municipalities={"amal": "member"}))
    made["foreign"] = bearer(app, create_user(municipalities={"bengtsfors": "coordinator"}))
    made["base"] = f"/api/k/amal/forums/{made['forum_id']}/meetings"
    made["planned"] = f"{made['base']}/{made['meeting_ids'][1]}"
    return made
