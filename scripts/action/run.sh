#!/usr/bin/env bash
# action.yml, step 2: runs the plan (on the runner, on INDUS_CONTROLLER, or on INDUS_AGENTS through a controller started
# here), writes every report into INDUS_REPORT_DIR, indus's Markdown summary into $GITHUB_STEP_SUMMARY, and the step's
# outputs. It always exits 0: the last step fails the job, after the reports are uploaded.
set -uo pipefail

# the token input, when given, wins over an INDUS_TOKEN the job may already set
if [ -n "${INDUS_ACTION_TOKEN:-}" ]; then export INDUS_TOKEN="$INDUS_ACTION_TOKEN"; fi
unset INDUS_ACTION_TOKEN

dir="${INDUS_REPORT_DIR:-indus-report}"
mkdir -p "$dir"
out="$dir/output.txt"
output() { echo "$1=$2" >> "${GITHUB_OUTPUT:?}"; }
output report-dir "$dir"

controller="${INDUS_CONTROLLER:-}"
controller_pid=""
# shellcheck disable=SC2317 # called by the EXIT trap
stop_controller() { if [ -n "$controller_pid" ]; then kill "$controller_pid" 2>/dev/null; wait "$controller_pid" 2>/dev/null; fi; }
trap stop_controller EXIT

if [ -n "${INDUS_AGENTS:-}" ] && [ -z "$controller" ]; then
  # a controller for these agents on the runner's loopback; port 0, read back from its log
  log="$dir/controller.log"
  indus controller --grpc-addr=127.0.0.1:0 --metrics-addr=off --agents="$INDUS_AGENTS" --data-dir="$dir/.controller" 2>"$log" &
  controller_pid=$!
  port=""
  for _ in $(seq 1 300); do
    port=$(sed -n 's/.*"controller gRPC server starting".*"port":\([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)
    if [ -n "$port" ] || ! kill -0 "$controller_pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [ -z "$port" ]; then
    echo "::error title=indus::the controller for the agents did not start"
    cat "$log" >&2
    output exit-code 2
    output passed false
    exit 0
  fi
  controller="127.0.0.1:$port"
fi

# INDUS_ARGS is split on whitespace, like a shell command line without quotes
read -r -a extra <<< "${INDUS_ARGS:-}"
args=(run "${INDUS_PLAN:?the plan input is required}"
  "--report=$dir/report.html" "--report=$dir/report.json" "--report=$dir/junit.xml" "--report=$dir/summary.md")
if [ -n "$controller" ]; then args+=("--controller=$controller"); fi

indus "${args[@]}" "${extra[@]}" 2>&1 | tee "$out"
code=${PIPESTATUS[0]}

run_id=$(sed -n 's/^Run started: \([^ ]*\).*/\1/p' "$out" | head -n 1)
output run-id "$run_id"
output exit-code "$code"
if [ "$code" = 0 ]; then output passed true; else output passed false; fi
[ -f "$dir/report.html" ] && output report-html "$dir/report.html"
[ -f "$dir/report.json" ] && output report-json "$dir/report.json"
[ -f "$dir/junit.xml" ] && output junit "$dir/junit.xml"

summary="${GITHUB_STEP_SUMMARY:?}"
if [ -s "$dir/summary.md" ]; then
  cat "$dir/summary.md" >> "$summary"
else
  # no report: the plan never ran (bad input, unreachable controller); show why
  {
    echo "## ❌ indus: the plan did not run (exit code $code)"
    echo ""
    echo '```'
    tail -n 30 "$out"
    echo '```'
  } >> "$summary"
fi
exit 0
