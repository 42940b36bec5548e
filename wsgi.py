"""WSGI entry point: `gunicorn wsgi:app`."""

from composition import create_app

app = create_app()
