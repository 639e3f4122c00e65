"""Demo content seeded into each Dalsland municipality; modules add their seeders here."""

from __future__ import annotations

from collections.abc import Callable

#: Seeders run in order for ``samverka demo``; each must keep existing data (idempotent).
SEEDERS: list[Callable[[], None]] = []


def seed_demo_data() -> None:
    from samverka.modules.forums import demo_seed  # noqa: F401 - registers its seeder

    for seeder in SEEDERS:
        seeder()
