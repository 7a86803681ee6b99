#!/usr/bin/env bash
# README command 1: install eduplan into .venv and serve the demo site built from the bundled example plan.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
exec .venv/bin/eduplan demo "$@"
