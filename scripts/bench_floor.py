"""The floor for bench_http.py: the least a page of 200 priced rows can cost on this stack.

Flask, one pooled SQLAlchemy connection per worker, 200 rows by tenant key from a 200,000-row
table, a Jinja loop. FLOOR_DATABASE_URL names the database bench_http.py built.
"""

import os

from flask import Flask, render_template_string
from sqlalchemy import create_engine, text

app = Flask(__name__)
engine = create_engine(os.environ["FLOOR_DATABASE_URL"], pool_size=2)
PAGE = """<!doctype html><title>Floor</title><table>{% for r in rows %}
<tr data-sku="{{ r.sku }}"><td>{{ r.name }}</td><td>{{ r.unit }}</td>
<td class="price">{{ "%.2f"|format(r.price_minor / 100) }}</td></tr>{% endfor %}</table>"""
QUERY = text("SELECT sku, name, unit, price_minor FROM floor_rows WHERE tenant_id = :t ORDER BY 1")


@app.get("/")
def page():
    with engine.connect() as conn:
        rows = conn.execute(QUERY, {"t": 42}).all()
    return render_template_string(PAGE, rows=rows)
