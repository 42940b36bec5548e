"""WSGI entry point: `gunicorn wsgi:app`."""

from config.root import create_app

app = create_app()
