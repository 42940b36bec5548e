#!/usr/bin/env bash
# Install the app with its test extras into .venv, make sure Debian's Chromium is there for
# the browser tests, and run the whole suite against the real PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[test]" >/dev/null

if ! command -v chromium >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi

exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" "$@"
