#!/usr/bin/env bash
# govulncheck against an offline copy of the Go vulnerability database.
#
# The database's web service cannot be reached from every machine that builds inbox-mcp, but the
# golang.org/x/vulndb module, served by the Go module proxy like any module, carries every report
# as an OSV file under data/osv. govulncheck reads a directory of OSV files given as a file:// URL.
# The module version is pinned here so that CI is deterministic: raise it to take in new reports
# (go list -m -versions golang.org/x/vulndb does not list pseudo-versions; use
# `go list -m golang.org/x/vulndb@master` on a machine that reaches the proxy).
#
# Usage: bash .ci/govulncheck.sh [govulncheck flags]   (default: ./...)
set -euo pipefail
cd "$(dirname "$0")/.."
# go.mod names the patched toolchain; let an older or GOTOOLCHAIN=local Go fetch it.
case "${GOTOOLCHAIN:-}" in go1.*) ;; *) export GOTOOLCHAIN=auto ;; esac

VULNDB_VERSION=v0.0.0-20261105234957-e22db6528018

# Downloaded outside this module so that go.mod and go.sum stay as they are.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
dir="$(cd "$tmp" && go mod download -json "golang.org/x/vulndb@${VULNDB_VERSION}" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
if [ -z "$dir" ] || [ ! -d "$dir/data/osv" ]; then
	echo "govulncheck: could not fetch golang.org/x/vulndb@${VULNDB_VERSION} from the Go module proxy" >&2
	exit 1
fi
echo "vulnerability database: golang.org/x/vulndb@${VULNDB_VERSION} ($(ls "$dir/data/osv" | wc -l) reports)"
if [ "$#" -eq 0 ]; then
	set -- ./...
fi
go tool govulncheck -db "file://$dir/data/osv" "$@"
