#!/usr/bin/env bash
# Outside fuzzing: Schemathesis (pinned, in a virtualenv) against the app on the embedded default,
# every check and the stateful phase, a bounded number of examples per operation. Any 5xx, schema
# violation or undocumented status fails. FUZZ_EXAMPLES sets the examples per operation.
set -euo pipefail
cd "$(dirname "$0")/../.."

SCHEMATHESIS_VERSION=4.32.5
VENV=${FUZZ_VENV:-.tmp/fuzz-venv}
EXAMPLES=${FUZZ_EXAMPLES:-10}

if [[ "$("$VENV/bin/st" --version 2>/dev/null || true)" != *"$SCHEMATHESIS_VERSION"* ]]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

DATA_DIR=$(mktemp -d)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export AUTH_SECRET=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
URL="http://127.0.0.1:$PORT"

DATA_DIR=$DATA_DIR HOST=127.0.0.1 PORT=$PORT RATE_LIMIT_RPS=0 LOG_LEVEL=warn npx tsx src/main.ts > "$DATA_DIR/server.log" 2>&1 &
SERVER=$!
cleanup() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

for _ in $(seq 1 60); do
  curl -fsS "$URL/health" > /dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "$URL/health" > /dev/null || { echo "the server did not start:"; cat "$DATA_DIR/server.log"; exit 1; }

token() { DATA_DIR=$DATA_DIR npx tsx src/cli/token.ts --sub "fuzz-$1" --role "$1" --ttl 3600; }
ENGINEER=$(token engineer)
ADMIN=$(token admin)

fuzz() {
  local token=$1
  shift
  SCHEMATHESIS_HOOKS=scripts/fuzz/hooks.py "$VENV/bin/st" --config-file scripts/fuzz/schemathesis.toml run "$URL/openapi.json" \
    --checks all \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$EXAMPLES" \
    --workers 2 \
    --seed "${FUZZ_SEED:-1}" \
    --request-timeout 10 \
    --header "Authorization: Bearer $token" \
    --warnings off \
    --report-dir "$DATA_DIR/reports" \
    --no-color \
    "$@"
}

status=0
echo "== commands and queries (engineer)"
# The audit SSE stream never ends, so every case of it would last the whole request timeout; its
# filters are the audit query's, fuzzed there, and test/api/audit-stream-trace.test.ts covers it.
fuzz "$ENGINEER" --exclude-path-regex '^/api/projections' --exclude-path '/api/audit/stream' || status=1
echo "== projection operations (admin)"
fuzz "$ADMIN" --include-path-regex '^/api/projections' || status=1

if grep -q '"level":50' "$DATA_DIR/server.log"; then
  echo "the server logged errors:"
  grep '"level":50' "$DATA_DIR/server.log" | head -20
  status=1
fi
exit $status
