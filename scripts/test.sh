#!/usr/bin/env bash
# The whole test suite: lint, SQLite, then PostgreSQL, then the browser journeys.
# Under CI=true PostgreSQL and the browser are mandatory; elsewhere they are skipped with a message.
#
# PostgreSQL gets a database of its own (TEST_PG_URL, default .../qms_suite): pytest-django creates
# test_qms_suite_gw0 and test_qms_suite_gw1 for the two xdist workers and drops them afterwards,
# so the suite never touches the development database `qms`.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432/qms}
TEST_PG_URL=${TEST_PG_URL:-${PG_URL%/*}/qms_suite}
WORKERS=${QMS_TEST_WORKERS:-2}
CI=${CI:-}
status=0
started=$SECONDS

section() { echo; echo "== $1 ($((SECONDS - started))s so far)"; }

# pytest exits 5 when it collected no test; a suite that has none left (all deselected by a
# marker) is not a failure, so say so and go on. Any other non-zero exit fails the run.
run_pytest() {
  local label=$1; shift
  $BIN/pytest "$@"
  local rc=$?
  if [ $rc -eq 5 ]; then
    echo "$label: no tests were collected (pytest exit 5); nothing to run here."
    return 0
  fi
  [ $rc -eq 0 ] || echo "$label: FAILED (pytest exit $rc)"
  return $rc
}

section "lint"
if ! { $BIN/ruff check . && $BIN/lint-imports --no-cache >/dev/null; }; then
  echo "lint: FAILED"; status=1
fi

section "tests on SQLite"
run_pytest "SQLite" -q -m "not browser" -n "$WORKERS" || status=1

pg_ready() {
  $BIN/python - "$TEST_PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].rsplit("/", 1)[0] + "/postgres", connect_timeout=3).close()
except Exception as exc:
    print(exc); sys.exit(1)
PY
}
section "tests on PostgreSQL"
pg_check=$(mktemp)
if pg_ready >"$pg_check" 2>&1; then
  # The schemathesis fuzz of the HTTP layer ran on SQLite already; here the database matters.
  DATABASE_URL=$TEST_PG_URL run_pytest "PostgreSQL" -q -m "not browser" -n "$WORKERS" --create-db \
    --ignore=tests/test_api_schema.py || status=1
elif [ -n "$CI" ]; then
  echo "PostgreSQL at ${TEST_PG_URL%/*} is unreachable, and CI requires it: $(cat "$pg_check")"
  status=1
else
  echo "SKIPPED: PostgreSQL at ${TEST_PG_URL%/*} is unreachable ($(tr -d '\n' <"$pg_check"))." \
       "Set PG_URL to run that suite."
fi
rm -f "$pg_check"

section "browser journeys (Chromium)"
if bash scripts/ensure-chromium.sh; then
  run_pytest "browser" -q -m browser -p no:xdist || status=1
elif [ -n "$CI" ]; then
  echo "Chromium is not available, and CI requires the browser tests."; status=1
else
  echo "SKIPPED: Debian's Chromium is not installed and cannot be installed here (needs root and apt)."
fi

section "done"
[ $status -eq 0 ] && echo "all suites passed" || echo "some suites FAILED"
exit $status
