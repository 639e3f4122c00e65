"""The ``samverka`` command: each module adds its subgroup here."""

from __future__ import annotations

import click


@click.group()
@click.version_option(package_name="samverka")
def cli() -> None:
    """Samverka: municipal collaboration around children and youth at risk."""


def _register() -> None:
    from samverka.bench.cli import bench
    from samverka.checks import check_command
    from samverka.demo import demo
    from samverka.modules.audit.cli import audit
    from samverka.modules.auth.cli import users
    from samverka.modules.forums.cli import forums
    from samverka.modules.jobs.cli import scheduler, worker
    from samverka.modules.keys.cli import keys
    from samverka.modules.region.cli import region
    from samverka.modules.storage.cli import storage
    from samverka.modules.tenancy.cli import db_group, tenants

    for command in (
        db_group,
        tenants,
        keys,
        users,
        audit,
        forums,
        region,
        storage,
        worker,
        scheduler,
        demo,
        bench,
        check_command,
    ):
        cli.add_command(command)


_register()
