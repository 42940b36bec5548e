"""WSGI entry point: `gunicorn wsgi:app`."""

import gc

from config.root import create_app

app = create_app()

# The app's modules, models, compiled SQL cache and templates (about 200,000 objects) live as
# long as the worker. Freezing them moves them out of the cyclic collector's generations, so a
# full collection during a request walks what that request allocated rather than the whole
# app: measured in-process on the catalog page, the mean request CPU fell about a tenth
# (scripts/profile_pages.py --freeze). With `--preload` it also keeps the forked workers' pages
# shared, since the collector no longer writes to those objects' headers.
gc.collect()
gc.freeze()
