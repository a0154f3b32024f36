#!/usr/bin/env bash
# Runs the whole suite from .venv. pytest's exit code 5 ("no tests collected") is a failure here:
# a suite that silently runs nothing must not pass.
set -u
cd "$(dirname "$0")/.."
.venv/bin/python -m pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
exit "$status"
