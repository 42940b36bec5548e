"""Composition root: settings from the environment, the Flask app factory, extensions, clock."""

from config.app import create_app

__all__ = ["create_app"]
