#!/usr/bin/env bash
# README command 2: install what the tests need, lint, and run the whole suite twice:
# on SQLite, then on a real PostgreSQL server started here for the run. Browser tests
# drive Debian's chromium through Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
.venv/bin/ruff check eduplan tests bench

# System packages: PostgreSQL for the second run, chromium and a CJK font for the browser
# tests, LibreOffice and poppler to render the Word and Excel files to PDF and PNG.
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || [ ! -x /usr/bin/chromium ] \
    || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || [ ! -x /usr/bin/soffice ] || [ ! -x /usr/bin/pdftoppm ]; then
  echo "installing postgresql, chromium, fonts-noto-cjk, libreoffice-writer-nogui, poppler-utils with apt-get" >&2
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql chromium fonts-noto-cjk >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils >/dev/null
fi

run_pytest() {
  local status=0
  .venv/bin/python -m pytest -q -p no:cacheprovider "$@" || status=$?
  # pytest exits 5 when it collected nothing: that is a broken suite, not a pass.
  if [ "$status" -eq 5 ]; then echo "no tests were collected" >&2; return 1; fi
  return "$status"
}

echo "== SQLite ==" >&2
run_pytest "$@"

echo "== PostgreSQL ==" >&2
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGDIR=$(mktemp -d /tmp/eduplan-pg.XXXXXX)
PGPORT=${EDUPLAN_TEST_PGPORT:-54329}
chmod 755 "$PGDIR"
pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$PGDIR"
pg "'$PGBIN/initdb' -D '$PGDIR/data' -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
pg "'$PGBIN/pg_ctl' -D '$PGDIR/data' -o \"-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off\" -l '$PGDIR/log' -w start" >/dev/null
trap 'pg "\"$PGBIN/pg_ctl\" -D \"$PGDIR/data\" -m immediate stop" >/dev/null 2>&1 || true; rm -rf "$PGDIR"' EXIT
EDUPLAN_DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/eduplan" run_pytest "$@"
cd "$ROOT"
