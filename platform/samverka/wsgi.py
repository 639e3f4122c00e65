"""WSGI entry point for gunicorn: ``samverka.wsgi:app``."""

from samverka.app import create_app

app = create_app()
