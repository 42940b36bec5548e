#!/usr/bin/env bash
# Install the app with its test extras into .venv, make sure Debian's Chromium is there for
# the browser tests, and run the whole suite against the real PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || python3 -m venv .venv
log="$(mktemp)"
# pip's own chatter goes to a log; it is shown only if the install fails.
.venv/bin/python -m pip install -q -e ".[test]" > "$log" 2>&1 || { cat "$log"; exit 1; }

# Debian's Chromium drives the browser tests; DejaVu gives PDFs glyphs beyond Latin-1;
# poppler-utils (pdftotext) lets the PDF tests read back what a document says.
if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1 \
  || [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null
fi

bash scripts/services.sh

exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" "$@"
