"""(stub) CLI."""

import click


@click.group("region")
def region() -> None:
    """(stub)"""
