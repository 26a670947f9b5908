#!/usr/bin/env bash
# Builds the embedded FerretDB used by the test suite to tools/ferretdb/bin/ferretdb.
# Skips the build when the binary is newer than every source file of the wrapper module.
# The first build compiles FerretDB and a pure-Go SQLite: expect a few minutes.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module_dir="$repo_root/tools/ferretdb"
binary="$module_dir/bin/ferretdb"

if ! command -v go >/dev/null 2>&1; then
  echo "build-ferretdb: Go toolchain not found (install Go 1.24 or newer)" >&2
  exit 1
fi

sources=("$module_dir/main.go" "$module_dir/go.mod" "$module_dir/go.sum")
if [[ -x "$binary" ]]; then
  up_to_date=true
  for source in "${sources[@]}"; do
    if [[ "$source" -nt "$binary" ]]; then
      up_to_date=false
    fi
  done
  if [[ "$up_to_date" == true ]]; then
    echo "build-ferretdb: $binary is up to date"
    exit 0
  fi
fi

# Modules come from the Go module proxy; Go's module and build caches make rebuilds fast.
export GOFLAGS="${GOFLAGS:--buildvcs=false} -mod=readonly"
export CGO_ENABLED=0

started=$SECONDS
echo "build-ferretdb: building $binary (the first build may take a few minutes)"
mkdir -p "$module_dir/bin"
(cd "$module_dir" && go build -trimpath -o "$binary.tmp" .)
mv "$binary.tmp" "$binary"
echo "build-ferretdb: built in $((SECONDS - started)) s"
