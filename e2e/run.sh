#!/usr/bin/env bash
# Real MCP clients against the real binary: the official conformance suite (streamable HTTP),
# the MCP Inspector CLI (stdio; on the demo's default Inbox API v2, then on v1) and the
# TypeScript SDK (stdio and HTTP).
# Installs the pinned npm packages (npm ci, cached) and builds inbox-mcp first.
# Usage: bash e2e/run.sh
set -euo pipefail
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$E2E_DIR")
cd "$E2E_DIR"
if [ ! -x node_modules/.bin/conformance ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
NODE="$E2E_DIR/node_modules/.bin/node"   # Node 22 from the pinned npm package
BIN="$(mktemp -d)/inbox-mcp"
(cd "$ROOT" && go build -o "$BIN" ./cmd/inbox-mcp)
export PATH="$E2E_DIR/node_modules/.bin:$PATH"

echo "== e2e: conformance suite =="
bash "$E2E_DIR/conformance.sh" "$BIN"
echo "== e2e: MCP Inspector CLI =="
"$NODE" "$E2E_DIR/inspector.mjs" "$BIN"
echo "== e2e: MCP Inspector CLI, Inbox API v1 =="
"$NODE" "$E2E_DIR/inspector.mjs" "$BIN" --api-version v1
echo "== e2e: TypeScript SDK user story =="
"$NODE" "$E2E_DIR/story.mjs" "$BIN"
rm -rf "$(dirname "$BIN")"
echo "e2e: all real-client checks passed"
