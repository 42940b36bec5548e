"""Configuration, in two parts with opposite places in the layers.

- `config.root` is the composition root, above everything: `create_app`, model discovery, the
  `flask` CLI commands, the RQ command-line worker and the demo data. Only entry points
  (`wsgi.py`, the worker command) and tests import it.
- The other modules are the bottom layer every package may import, and they import no other
  package of the project: settings from the environment, extensions, the clock, column types,
  the base domain error, the forms base and shared forms, the sign-in throttle, and the edge
  helpers every blueprint shares (views, sign-in, error pages, health checks). They never import
  `config.root` either.
"""
