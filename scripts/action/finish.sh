#!/usr/bin/env bash
# action.yml, last step: links the uploaded reports from the job summary, then fails the step when the run failed
# (exit 1: a threshold or the run; exit 2: bad input, which fails even with fail-on-threshold: false).
set -euo pipefail

if [ -n "${INDUS_ARTIFACT_URL:-}" ]; then
  printf '\n📄 [HTML report, JSON, JUnit and the run output](%s) (workflow artifact)\n' "$INDUS_ARTIFACT_URL" >> "${GITHUB_STEP_SUMMARY:?}"
fi

code="${INDUS_EXIT_CODE:-}"
if [ -z "$code" ]; then
  echo "::error title=indus::the plan did not run: see the steps above"
  exit 1
fi
case "$code" in
  0) echo "indus: passed" ;;
  1)
    if [ "${INDUS_FAIL_ON_THRESHOLD:-true}" = true ]; then
      echo "::error title=indus::the run failed (a threshold failed, or the run did not complete): see the job summary"
      exit 1
    fi
    echo "::warning title=indus::the run failed (fail-on-threshold is false, so the job goes on)" ;;
  *)
    echo "::error title=indus::indus run exited $code (bad input: plan, flags or controller); see the run step's output"
    exit "$code" ;;
esac
