"""WSGI entry point for gunicorn: ``samverka.wsgi:app``; refuses to start with a wrong data key."""

from samverka.app import create_app
from samverka.db.keycheck import refuse_wrong_key

app = create_app()
refuse_wrong_key(app)
