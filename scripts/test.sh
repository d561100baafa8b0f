#!/usr/bin/env bash
# The whole test suite, on a fresh machine or in CI: installs what the tests need, then runs
# pytest on Python 3.11 (Mesa 3.3.x) and, where a Python 3.12 interpreter exists, on 3.12 with
# the newest Mesa 3.x. Exits non-zero if any run fails or collects no tests.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n== %s\n' "$*"; }

# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    log "installing Debian chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium not found and cannot install it: browser tests will skip (fail when CI=true)"
  fi
fi

PY311=${PY311:-python3}
log "Python $($PY311 --version 2>&1) — installing alliance-balancing with test extras"
$PY311 -m pip install -q -e ".[test]" 2>&1 | grep -v "Running pip as the 'root' user" || true

run_pytest() {  # run_pytest PYTHON-COMMAND… -- PYTEST-ARGS…
  local cmd=()
  while [ "$1" != "--" ]; do cmd+=("$1"); shift; done
  shift
  set +e
  "${cmd[@]}" -m pytest "$@"
  local rc=$?
  set -e
  if [ "$rc" = "5" ]; then echo "pytest collected no tests: failing"; return 1; fi
  return "$rc"
}

status=0
log "pytest on $($PY311 --version 2>&1), mesa $($PY311 -c 'import mesa; print(mesa.__version__)')"
run_pytest "$PY311" -- -q -p no:cacheprovider || status=1

PY312=""
if python3.12 -c "pass" >/dev/null 2>&1; then
  PY312=python3.12
elif command -v pyenv >/dev/null 2>&1; then
  # no `grep -q` in a pipe: under pipefail its early exit can fail the pipeline (SIGPIPE)
  v=$(pyenv versions --bare 2>/dev/null | grep '^3\.12' | tail -n 1 || true)
  if [ -n "$v" ] && env PYENV_VERSION="$v" python3.12 -c "pass" >/dev/null 2>&1; then
    PY312="env PYENV_VERSION=$v python3.12"
  fi
fi
if [ -z "$PY312" ] && [ "${CI:-}" = "true" ] && [ "${SKIP_PY312:-0}" != "1" ]; then
  log "CI: no Python 3.12 interpreter found (checked python3.12 and pyenv); the 3.12 run is skipped"
fi
if [ -n "$PY312" ] && [ "${SKIP_PY312:-0}" != "1" ]; then
  log "Python 3.12 — installing with the newest Mesa 3.x and EMA Workbench"
  $PY312 -m pip install -q -e ".[test,ema]" 2>&1 | grep -v "Running pip as the 'root' user" || true
  log "pytest on Python 3.12, mesa $($PY312 -c 'import mesa; print(mesa.__version__)')"
  # shellcheck disable=SC2086
  run_pytest $PY312 -- -q -p no:cacheprovider || status=1
else
  log "no Python 3.12 interpreter: skipping the 3.12 run"
fi
[ "$status" = "0" ] && log "all test runs passed" || log "a test run failed"
exit "$status"
