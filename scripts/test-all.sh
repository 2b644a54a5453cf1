#!/usr/bin/env bash
# What `npm test` runs: static checks (types, lint, formatting), unit, integration, build, the JavaScript
# budget of every page (scripts/check-js-budget.mjs), then end-to-end tests.
# Stops at the first failing step and always ends with one line: "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."

reports="$(mktemp -d)"
current_step=""
started=$SECONDS

finish() {
  local status=$?
  trap - EXIT
  echo
  if [[ $status -ne 0 ]]; then
    echo "FAILED: ${current_step:-setup} (exit code $status)"
  else
    echo "All steps passed in $((SECONDS - started))s."
  fi
  local failed_step=""
  if [[ $status -ne 0 ]]; then failed_step="${current_step:-setup}"; fi
  node scripts/test-summary.mjs "$reports" "$failed_step" || true
  rm -rf "$reports"
  exit "$status"
}
trap finish EXIT

step() {
  current_step="$1"
  shift
  local step_started=$SECONDS
  printf '\n==================== %s ====================\n$ %s\n\n' "$current_step" "$*"
  "$@"
  printf '\n-- %s: ok (%ss)\n' "$current_step" "$((SECONDS - step_started))"
}

step "typecheck" npm run typecheck
step "lint" npm run lint
step "format" npm run format:check
step "unit tests" npm run test:unit -- --reporter=default --reporter=json --outputFile.json="$reports/unit.vitest.json"
step "integration tests" npm run test:integration -- --reporter=default --reporter=json --outputFile.json="$reports/integration.vitest.json"
step "build" npm run build
step "js budget" node scripts/check-js-budget.mjs
step "e2e tests" env PLAYWRIGHT_JSON_OUTPUT_FILE="$reports/e2e.playwright.json" npm run test:e2e -- --reporter=list,json
current_step=""
