#!/usr/bin/env bash
# Install the app into .venv and start it on the embedded default (SQLite, inline jobs,
# captured mail) with demo data. Prints the URL and the demo sign-ins.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || python3 -m venv .venv
mkdir -p instance
# pip's own chatter goes to a log; it is shown only if the install fails.
.venv/bin/python -m pip install -q -e . > instance/pip-install.log 2>&1 || {
  cat instance/pip-install.log; exit 1; }

[ -s instance/secret_key ] || .venv/bin/python -c "import secrets; print(secrets.token_hex(32))" > instance/secret_key
export SECRET_KEY="${SECRET_KEY:-$(cat instance/secret_key)}"
export DEMO_MODE=1
export FLASK_APP=wsgi
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-5000}"
export BASE_URL="${BASE_URL:-http://$HOST:$PORT}"

.venv/bin/flask db upgrade
.venv/bin/flask seed-demo
echo
echo "Serving the demo at $BASE_URL  (Ctrl+C to stop)"
exec .venv/bin/flask run --host "$HOST" --port "$PORT"
