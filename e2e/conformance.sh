#!/usr/bin/env bash
# Runs the official MCP conformance suite against the real inbox-mcp binary over streamable
# HTTP on its demo data. Usage: e2e/conformance.sh PATH_TO_INBOX_MCP
# The scenarios a real server must pass are checked twice: once by the suite's own verdict with
# the expected-failures baseline, and once more by name below, so a scenario cannot slip into
# the baseline unnoticed.
set -euo pipefail
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
BIN=$(realpath "$1")
source "$E2E_DIR/lib.sh"
work=$(mktemp -d)
trap 'stop_server; rm -rf "$work"' EXIT

port=$(free_port)
start_http_server "$port" "$work/server.log"
status=0
conformance server --url "http://127.0.0.1:$port/mcp" \
  --expected-failures "$E2E_DIR/conformance-baseline.yml" -o "$work/results" >"$work/out.txt" 2>&1 || status=$?
grep -E '^(✓|✗)|^Total' "$work/out.txt" || true

# resources-subscribe and resources-unsubscribe subscribe to the suite's fixture URI
# test://watched-resource, which inbox-mcp refuses as it refuses every URI it does not serve
# (README, Security); story.mjs subscribes to a URI of ours through the TypeScript SDK instead.
required=(server-initialize ping tools-list resources-list prompts-list server-sse-multiple-streams
  dns-rebinding-protection logging-set-level completion-complete)
for s in "${required[@]}"; do
  if grep -qx "  - $s" "$E2E_DIR/conformance-baseline.yml"; then
    echo "conformance: required scenario $s must not be in the baseline" >&2; status=1
  fi
  if ! grep -q "^✓ $s:" "$work/out.txt"; then
    echo "conformance: required scenario $s did not pass" >&2; status=1
  fi
done
if [ "$status" -ne 0 ]; then
  echo "conformance: FAILED; suite output:" >&2; cat "$work/out.txt" >&2
  echo "server log:" >&2; cat "$work/server.log" >&2
  exit 1
fi
echo "conformance: all required scenarios pass; failures match the baseline"
