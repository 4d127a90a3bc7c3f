#!/usr/bin/env bash
# Builds (or reuses from cache) metrics-server from its Go module (sigs.k8s.io/metrics-server), the
# metrics source the charts' HorizontalPodAutoscalers need, for the cluster's replica phase
# (test/beyond/phases.ts). No container registry is reachable here, so its image is made locally:
# the static binary in a from-scratch image (as upstream's Dockerfile does on distroless), tagged
# todo-local/metrics-server:<version>; the phase pushes it to the test registry. Its manifests are
# upstream's own (manifests/base of the module), copied beside the binary for `kubectl kustomize`.
# Cache: $CLUSTER_CACHE/metrics-server-<version>/{metrics-server, metrics-server.version, base/}.
# Prints the cache folder on stdout. Usage: test/beyond/build-metrics-server.sh
set -euo pipefail

METRICS_SERVER_VERSION="${METRICS_SERVER_VERSION:-v0.8.0}"
CLUSTER_CACHE="${CLUSTER_CACHE:-/var/cache/todo-cluster}"
NICE="${CLUSTER_BUILD_NICE:-15}"
MODULE=sigs.k8s.io/metrics-server
OUT_DIR="$CLUSTER_CACHE/metrics-server-$METRICS_SERVER_VERSION"
OUT="$OUT_DIR/metrics-server"
IMAGE="${METRICS_SERVER_IMAGE:-todo-local/metrics-server:$METRICS_SERVER_VERSION}"

log() { printf '[metrics-server build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

export PATH="$PATH:/usr/local/go/bin"
rebuilt=0
if [[ -x "$OUT" && -f "$OUT.version" && "$(cat "$OUT.version")" == "$METRICS_SERVER_VERSION" && -d "$OUT_DIR/base" ]]; then
  log "metrics-server $METRICS_SERVER_VERSION cached in $OUT_DIR"
else
  rebuilt=1
  command -v go >/dev/null || die "Go is required to build metrics-server (not found on PATH or /usr/local/go/bin)"
  # the module has no replace directives: `go install` builds it as released; only the module
  # itself is exempt from the (unreachable) checksum database, its dependencies are checked
  # against its own go.sum
  export GONOSUMDB="$MODULE" GOTOOLCHAIN=local
  mkdir -p "$OUT_DIR"
  gobin="$(mktemp -d)"
  log "building metrics-server $METRICS_SERVER_VERSION (nice $NICE)"
  rm -f "$OUT.version"
  CGO_ENABLED=0 GOBIN="$gobin" nice -n "$NICE" go install -p 2 -trimpath \
    -ldflags "-s -w -X k8s.io/client-go/pkg/version.gitVersion=$METRICS_SERVER_VERSION" \
    "$MODULE/cmd/metrics-server@$METRICS_SERVER_VERSION"
  mv -f "$gobin/metrics-server" "$OUT"
  rmdir "$gobin"
  src="$(go env GOMODCACHE)/$MODULE@$METRICS_SERVER_VERSION"
  rm -rf "$OUT_DIR/base"
  cp -r "$src/manifests/base" "$OUT_DIR/base"
  chmod -R u+w "$OUT_DIR/base"
  echo "$METRICS_SERVER_VERSION" >"$OUT.version"
  log "metrics-server $METRICS_SERVER_VERSION built: $OUT"
fi

if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  # a new binary makes a new image
  [[ "$rebuilt" == 1 ]] && docker rmi --force "$IMAGE" >/dev/null 2>&1 || true
  if docker image inspect "$IMAGE" >/dev/null 2>&1; then
    log "image $IMAGE already in the Docker engine"
  else
    ctx="$(mktemp -d)"
    cp "$OUT" "$ctx/metrics-server"
    printf 'FROM scratch\nCOPY metrics-server /metrics-server\nUSER 65534\nENTRYPOINT ["/metrics-server"]\n' >"$ctx/Dockerfile"
    DOCKER_BUILDKIT=0 docker build --quiet -t "$IMAGE" "$ctx" >/dev/null
    rm -rf "$ctx"
    log "image $IMAGE built"
  fi
fi
echo "$OUT_DIR"
