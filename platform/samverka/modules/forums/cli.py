"""(stub) CLI."""

import click


@click.group("forums")
def forums() -> None:
    """(stub)"""
