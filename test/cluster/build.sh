#!/usr/bin/env bash
# Build (or reuse from cache) the Kubernetes components, CoreDNS and the pause image binary.
# Cache: $CLUSTER_CACHE/<k8s version>/bin, outside the repository. Idempotent: a binary that
# exists is not rebuilt. CoreDNS and the pause image have versions of their own, so each carries
# a stamp file next to it (bin/coredns.version, bin/pause.tar.version) naming the version it was
# built for; a different COREDNS_VERSION or PAUSE_IMAGE rebuilds it (a cache from before the
# stamps is adopted when the artifact itself reports the wanted version). Usage: test/cluster/build.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

# stamped OUT KEY: OUT exists and its stamp file OUT.version holds exactly KEY
stamped() { [[ -f "$1" && -f "$1.version" && "$(cat "$1.version")" == "$2" ]]; }
# adopt OUT KEY REPORTED: a cache from before the stamps has OUT without OUT.version; when OUT
# itself reports KEY (REPORTED), write the stamp instead of rebuilding
adopt() { [[ -f "$1" && ! -f "$1.version" && -n "$3" && "$3" == "$2" ]] && echo "$2" > "$1.version"; return 0; }

need_go() {
  export PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null || die "Go is required to build the cluster binaries (not found on PATH or /usr/local/go/bin)"
}

# A wrapper module that requires k8s.io/kubernetes and pins every k8s.io staging module to the
# matching v0.x tag: k8s.io/kubernetes replaces them with ./staging/src/..., which `go install`
# refuses, so we generate the same replace list with versions instead of paths.
build_kube() {
  local out="$BIN_DIR" missing=() c
  for c in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
    [[ -x "$out/$c" ]] || missing+=("$c")
  done
  if ((${#missing[@]} == 0)); then log "kubernetes $K8S_VERSION binaries cached in $out"; return; fi
  need_go
  local src="$CACHE_DIR/src/kube" staging="v0.${K8S_VERSION#v1.}"
  mkdir -p "$src" "$out"
  if [[ ! -f "$src/go.sum" ]]; then
    log "generating wrapper module for k8s.io/kubernetes@$K8S_VERSION (staging $staging)"
    local gomod
    gomod="$(cd "$src" && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
    [[ -f "$gomod" ]] || die "could not download k8s.io/kubernetes@$K8S_VERSION go.mod"
    {
      echo "module todo.local/kubebuild"
      echo
      echo "go 1.24"
      echo
      echo "require k8s.io/kubernetes $K8S_VERSION"
      echo
      echo "replace ("
      grep -E '^\s*k8s\.io/[a-z0-9-]+ => \./staging/' "$gomod" | awk -v v="$staging" '{print "\t" $1 " => " $1 " " v}'
      echo ")"
    } > "$src/go.mod"
    # resolve the whole module graph now (go.sum), so the build itself only compiles
    (cd "$src" && GOFLAGS=-mod=mod go list -deps \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy >/dev/null)
  fi
  local pkgs=() ldv="-X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$(echo "$K8S_VERSION" | cut -d. -f2) -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION"
  for c in "${missing[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  log "building ${missing[*]} (go -p=$GO_JOBS, nice $NICE)"
  (cd "$src" && CGO_ENABLED=0 GOFLAGS="-mod=mod" nice -n "$NICE" go build -p "$GO_JOBS" -trimpath -ldflags "-s -w $ldv" -o "$out/" "${pkgs[@]}")
}

build_coredns() {
  local out="$BIN_DIR/coredns"
  [[ -x "$out" && ! -f "$out.version" ]] \
    && adopt "$out" "$COREDNS_VERSION" "v$(timeout 10 "$out" -version 2>/dev/null | sed -n '1s/^CoreDNS-//p')"
  stamped "$out" "$COREDNS_VERSION" && [[ -x "$out" ]] && { log "coredns $COREDNS_VERSION cached"; return; }
  need_go
  # one wrapper module per CoreDNS version: its go.mod pins that version
  local src="$CACHE_DIR/src/coredns-$COREDNS_VERSION"
  mkdir -p "$src"
  if [[ ! -f "$src/go.mod" ]]; then
    cat > "$src/main.go" <<'GO'
// A CoreDNS with only the plugins a single-node test cluster needs.
package main

import (
	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/hosts"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
	_ "github.com/coredns/coredns/plugin/template"
	_ "github.com/coredns/coredns/plugin/whoami"

	"github.com/coredns/coredns/core/dnsserver"
	"github.com/coredns/coredns/coremain"
)

func init() {
	dnsserver.Directives = []string{
		"reload", "bind", "health", "ready", "errors", "log", "hosts", "loadbalance", "cache",
		"template", "loop", "kubernetes", "forward", "whoami",
	}
}

func main() { coremain.Run() }
GO
    # the Kubernetes client modules at the same patch version as the cluster: the packages
    # compiled for the Kubernetes binaries are then reused from the Go build cache
    local staging="v0.${K8S_VERSION#v1.}"
    (cd "$src" && go mod init todo.local/coredns >/dev/null 2>&1 \
      && GOFLAGS=-mod=mod go get "github.com/coredns/coredns@$COREDNS_VERSION" \
        "k8s.io/api@$staging" "k8s.io/apimachinery@$staging" "k8s.io/client-go@$staging" >/dev/null 2>&1 \
      && go mod tidy >/dev/null 2>&1)
  fi
  log "building coredns $COREDNS_VERSION"
  rm -f "$out.version"
  # built beside and renamed into place: a coredns still running keeps its old file
  (cd "$src" && CGO_ENABLED=0 nice -n "$NICE" go build -p "$GO_JOBS" -trimpath -ldflags "-s -w" -o "$out.tmp" .)
  mv -f "$out.tmp" "$out"
  echo "$COREDNS_VERSION" > "$out.version"
}

# The sandbox ("pause") image: a static C-free Go binary that sleeps until SIGTERM/SIGINT and
# reaps zombies, packed as a one-layer OCI image tarball for `ctr images import`. Keyed by the
# image name and tag (PAUSE_IMAGE), which is also what up.sh looks for in containerd.
build_pause() {
  local out="$BIN_DIR/pause.tar"
  [[ -f "$out" && ! -f "$out.version" ]] \
    && adopt "$out" "$PAUSE_IMAGE" "$(tar -xOf "$out" index.json 2>/dev/null | sed -n 's/.*"io.containerd.image.name":"\([^"]*\)".*/\1/p')"
  stamped "$out" "$PAUSE_IMAGE" && { log "pause image $PAUSE_IMAGE cached"; return; }
  need_go
  local src="$CACHE_DIR/src/pause" work
  mkdir -p "$src"
  cp "$HERE/pause/main.go" "$src/main.go"
  [[ -f "$src/go.mod" ]] || (cd "$src" && go mod init todo.local/pause >/dev/null 2>&1)
  work="$(mktemp -d)"
  (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$work/rootfs/pause" .)
  rm -f "$out.version"
  "$HERE/oci-image.sh" "$work/rootfs" "/pause" "$PAUSE_IMAGE" "$out"
  rm -rf "$work"
  echo "$PAUSE_IMAGE" > "$out.version"
}

main() {
  mkdir -p "$BIN_DIR"
  step "build kubernetes $K8S_VERSION" build_kube
  step "build coredns $COREDNS_VERSION" build_coredns
  step "build pause image" build_pause
}
main "$@"; exit $?
