#!/usr/bin/env bash
# Builds (or reuses from cache) the CNCF distribution registry from its Go module
# (github.com/distribution/distribution/v3), for the registry suite and the cluster's registry
# phases. Cache: $CLUSTER_CACHE/registry-<version>/registry with a stamp file registry.version
# naming the version it was built from (like test/cluster/build.sh's binaries): a different
# REGISTRY_VERSION builds again, the same one is reused. Prints the binary's path on stdout.
# Beside it: registry-htpasswd, which turns a password (stdin) into the bcrypt line the registry's
# htpasswd auth reads (bcrypt from the registry's own dependencies: no apache2-utils needed).
#
# The binary is upstream's cmd/registry main with only the drivers a test registry uses
# (filesystem and in-memory storage, htpasswd and token auth, pull-through proxy): the cloud
# storage drivers (S3, Azure, GCS) would triple the build on a two-core machine for nothing.
# It is built in a small wrapper module that starts from the registry's own go.sum, so every
# dependency is verified against the checksums its authors recorded; only the registry module
# itself is exempt from the checksum database (GONOSUMDB), which these machines cannot reach.
# Usage: test/registry/build.sh   (REGISTRY_VERSION, CLUSTER_CACHE, CLUSTER_BUILD_NICE override)
set -euo pipefail

REGISTRY_VERSION="${REGISTRY_VERSION:-v3.1.2}"
CLUSTER_CACHE="${CLUSTER_CACHE:-/var/cache/todo-cluster}"
NICE="${CLUSTER_BUILD_NICE:-15}"
MODULE=github.com/distribution/distribution/v3
OUT_DIR="$CLUSTER_CACHE/registry-$REGISTRY_VERSION"
OUT="$OUT_DIR/registry"
HTPASSWD="$OUT_DIR/registry-htpasswd"

log() { printf '[registry build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [[ -x "$OUT" && -x "$HTPASSWD" && -f "$OUT.version" && "$(cat "$OUT.version")" == "$REGISTRY_VERSION" ]]; then
  log "registry $REGISTRY_VERSION cached in $OUT"
  echo "$OUT"
  exit 0
fi

export PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || die "Go is required to build the registry (not found on PATH or /usr/local/go/bin)"
export GONOSUMDB="github.com/distribution/distribution" GOTOOLCHAIN=local GOFLAGS=-mod=mod

src="$CLUSTER_CACHE/src/registry-$REGISTRY_VERSION"
mkdir -p "$src" "$OUT_DIR"
if [[ ! -f "$src/go.sum" || ! -f "$src/main.go" || ! -f "$src/htpasswd/main.go" ]]; then
  log "preparing a wrapper module for $MODULE@$REGISTRY_VERSION"
  upstream="$(cd "$src" && go mod download -json "$MODULE@$REGISTRY_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  [[ -d "$upstream" ]] || die "could not download $MODULE@$REGISTRY_VERSION"
  go_line="$(grep -m1 '^go ' "$upstream/go.mod")"
  cat >"$src/main.go" <<'GO'
// The distribution registry's cmd/registry with the drivers a test registry needs.
package main

import (
	"github.com/distribution/distribution/v3/registry"
	_ "github.com/distribution/distribution/v3/registry/auth/htpasswd"
	_ "github.com/distribution/distribution/v3/registry/auth/token"
	_ "github.com/distribution/distribution/v3/registry/proxy"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/filesystem"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/inmemory"
)

func main() {
	// nolint:errcheck // RootCmd prints its own errors and exits non-zero
	registry.RootCmd.Execute()
}
GO
  mkdir -p "$src/htpasswd"
  cat >"$src/htpasswd/main.go" <<'GO'
// registry-htpasswd USER < password: prints USER:<bcrypt hash>, a line of the registry's htpasswd file.
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: registry-htpasswd USER < password")
		os.Exit(2)
	}
	password, err := bufio.NewReader(os.Stdin).ReadString('\n')
	if err != nil && password == "" {
		fmt.Fprintln(os.Stderr, "registry-htpasswd: no password on stdin")
		os.Exit(2)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(strings.TrimRight(password, "\r\n")), bcrypt.DefaultCost)
	if err != nil {
		fmt.Fprintln(os.Stderr, "registry-htpasswd:", err)
		os.Exit(1)
	}
	fmt.Printf("%s:%s\n", os.Args[1], hash)
}
GO
  printf 'module todo.local/registry\n\n%s\n\nrequire %s %s\n' "$go_line" "$MODULE" "$REGISTRY_VERSION" >"$src/go.mod"
  cp "$upstream/go.sum" "$src/go.sum"
  chmod u+w "$src/go.sum"
  (cd "$src" && go mod tidy >/dev/null) || die "go mod tidy failed for the registry wrapper in $src"
fi
log "building registry $REGISTRY_VERSION (nice $NICE)"
rm -f "$OUT.version"
version_flag="-X $MODULE/version.version=$REGISTRY_VERSION -X $MODULE/version.mainpkg=$MODULE"
# built beside and renamed into place: a registry still running keeps its old file
(cd "$src" && CGO_ENABLED=0 nice -n "$NICE" go build -p 2 -trimpath -ldflags "-s -w $version_flag" -o "$OUT.tmp" .)
(cd "$src" && CGO_ENABLED=0 nice -n "$NICE" go build -p 2 -trimpath -ldflags "-s -w" -o "$HTPASSWD.tmp" ./htpasswd)
mv -f "$OUT.tmp" "$OUT"
mv -f "$HTPASSWD.tmp" "$HTPASSWD"
echo "$REGISTRY_VERSION" >"$OUT.version"
log "registry $REGISTRY_VERSION built: $OUT"
echo "$OUT"
