# Shared helpers for the real-client checks. Sourced, not run.
# Requires: E2E_DIR (this folder), BIN (the built inbox-mcp binary).

E2E_BIN="$E2E_DIR/node_modules/.bin"
export PATH="$E2E_BIN:$PATH"

# free_port prints a TCP port that was free a moment ago on loopback.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# start_http_server PORT LOG [extra flags…]: runs inbox-mcp --demo over streamable HTTP in the
# background, waits until it answers, and sets SERVER_PID.
start_http_server() {
  local port=$1 log=$2
  shift 2
  "$BIN" --demo --transport http --addr "127.0.0.1:$port" "$@" >"$log.stdout" 2>"$log" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    # A TCP connect, not an HTTP GET: GET /mcp opens an SSE stream that never ends.
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "inbox-mcp exited early; its log:" >&2; cat "$log" >&2; return 1
    fi
    sleep 0.1
  done
  echo "inbox-mcp did not answer on port $port within 10 s" >&2
  return 1
}

stop_server() {
  if [ -n "${SERVER_PID:-}" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
