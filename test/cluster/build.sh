#!/usr/bin/env bash
# Builds (or reuses from the cache) everything a registry-less Minikube needs, from the Go module
# proxy and Debian's archive only:
#   - minikube, built inside minikube's own module source (its go.mod has replace directives, so
#     `go install pkg@version` refuses it), with the Makefile's ldflags, and its storage-provisioner
#   - kubeadm, kubelet, kubectl and the control-plane binaries for $K8S_VERSION (k8s.io/kubernetes
#     through a wrapper module that pins the staging modules), crictl (sigs.k8s.io/cri-tools)
#   - etcd, CoreDNS and pause at the versions this kubeadm asks for (`kubeadm config images list`)
#   - one OCI image tarball per image reference kubeadm and minikube's default addons use, made from
#     those static binaries (kube-proxy's on a Debian minbase with iptables)
# Cache: $CLUSTER_CACHE (/var/cache/todo-cluster), keyed by version; each artifact carries a stamp
# file (<artifact>.version) naming what it was built from, so a version change rebuilds just that.
# Nothing here needs the cluster lock or changes the host outside the cache. Usage: build.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
on_fail_report
# bump when an image recipe changes (user, paths, base): every image tarball is rebuilt
IMAGE_RECIPE=1
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

# commit of a module version, from the proxy's .info (Origin.Hash), for version ldflags
module_commit() {
  local info; info="$(go env GOMODCACHE)/cache/download/$(echo "$1" | sed 's/[A-Z]/!\L&/g')/@v/$2.info"
  sed -n 's/.*"Hash":"\([0-9a-f]*\)".*/\1/p' "$info" 2>/dev/null | head -1
}

# ---------------------------------------------------------------------------------------------
# Kubernetes: a wrapper module that requires k8s.io/kubernetes and pins every k8s.io staging module
# to the matching v0.x tag (k8s.io/kubernetes replaces them with ./staging/..., which only works
# inside its own repository), so the release's exact sources build through the module proxy.
KUBE_BINARIES=(kubeadm kubelet kubectl kube-apiserver kube-controller-manager kube-scheduler kube-proxy)
build_kube() {
  local missing=() c key="$K8S_VERSION $GO_TOOLCHAIN"
  # binaries built by another toolchain are all rebuilt
  stamped "$BIN_DIR/kubernetes" "$key" || rm -f "${KUBE_BINARIES[@]/#/$BIN_DIR/}"
  for c in "${KUBE_BINARIES[@]}"; do [[ -x "$BIN_DIR/$c" ]] || missing+=("$c"); done
  if ((${#missing[@]} == 0)); then log "kubernetes $K8S_VERSION binaries cached in $BIN_DIR"; return; fi
  need_go
  local src="$CACHE_DIR/src/kube" staging="v0.${K8S_VERSION#v1.}"
  mkdir -p "$src" "$BIN_DIR"
  if [[ ! -f "$src/go.sum" ]]; then
    log "generating a wrapper module for k8s.io/kubernetes@$K8S_VERSION (staging modules $staging)"
    local gomod
    gomod="$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
    [[ -f "$gomod" ]] || die "could not download k8s.io/kubernetes@$K8S_VERSION from the Go module proxy"
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
    local pkgs=(); for c in "${KUBE_BINARIES[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
    (cd "$src" && GOFLAGS=-mod=mod go list -deps "${pkgs[@]}" >/dev/null)
  fi
  local minor; minor="$(echo "$K8S_VERSION" | cut -d. -f2)"
  local ldv="-X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"
  local pkgs=()
  for c in "${missing[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  log "building ${missing[*]} (go -p $GO_JOBS, nice $NICE)"
  (cd "$src" && GOFLAGS="-mod=mod -buildvcs=false" nice -n "$NICE" go build -p "$GO_JOBS" -trimpath -ldflags "-s -w $ldv" -o "$BIN_DIR/" "${pkgs[@]}")
  : > "$BIN_DIR/kubernetes"; stamp "$BIN_DIR/kubernetes" "$key"
}

# ---------------------------------------------------------------------------------------------
# minikube, inside minikube's module source (read-only module cache: the output goes to the cache
# folder), with the Makefile's MINIKUBE_LDFLAGS.
build_minikube() {
  local key="$MINIKUBE_VERSION storage-provisioner=$STORAGE_PROVISIONER_TAG $GO_TOOLCHAIN"
  stamped "$MINIKUBE_DIR/minikube" "$key" && { log "minikube $MINIKUBE_VERSION cached in $MINIKUBE_DIR"; return; }
  need_go
  local src commit; src="$(module_dir "k8s.io/minikube@$MINIKUBE_VERSION")"
  commit="$(module_commit k8s.io/minikube "$MINIKUBE_VERSION")"
  mkdir -p "$MINIKUBE_DIR"
  local v=k8s.io/minikube/pkg/version
  log "building minikube $MINIKUBE_VERSION (commit ${commit:-unknown}) in $src (go -p $GO_JOBS, nice $NICE)"
  (cd "$src" && nice -n "$NICE" go build -p "$GO_JOBS" -trimpath \
    -ldflags "-s -w -X $v.version=$MINIKUBE_VERSION -X $v.isoVersion=$MINIKUBE_VERSION -X $v.gitCommitID=$commit -X $v.storageProvisionerVersion=$STORAGE_PROVISIONER_TAG" \
    -o "$MINIKUBE_DIR/minikube.tmp" ./cmd/minikube)
  mv -f "$MINIKUBE_DIR/minikube.tmp" "$MINIKUBE_DIR/minikube"; stamp "$MINIKUBE_DIR/minikube" "$key"
}

# minikube's storage-provisioner (cmd/storage-provisioner of the same source, PROVISIONER_LDFLAGS),
# the image of the default addon. It cannot be built against minikube's own go.mod: its
# sig-storage-lib-external-provisioner v6 hard-codes leader election on an "endpoints" lock, which
# client-go removed in v0.24 (the binary exits with "endpoints lock is removed, migrate to
# leases"); the published v5 image predates that. A wrapper module builds the same source with
# the Kubernetes client libraries of v0.23, the last line that has the lock.
SP_CLIENT_GO=v0.23.17
SP_KUBE_OPENAPI=v0.0.0-20211115234752-e816edb12b65 # what client-go $SP_CLIENT_GO requires
build_storage_provisioner() {
  local out="$MINIKUBE_DIR/storage-provisioner"
  local key="$MINIKUBE_VERSION $STORAGE_PROVISIONER_TAG client-go=$SP_CLIENT_GO $GO_TOOLCHAIN"
  stamped "$out" "$key" && { log "storage-provisioner $STORAGE_PROVISIONER_TAG cached"; return; }
  need_go
  local src="$SRC_DIR/storage-provisioner-$MINIKUBE_VERSION"
  mkdir -p "$src" "$MINIKUBE_DIR"
  if [[ ! -f "$src/go.sum" ]] || ! grep -q "client-go => k8s.io/client-go $SP_CLIENT_GO" "$src/go.mod"; then
    cat > "$src/go.mod" <<MOD
module todo.local/storageprovisioner

go 1.24

require k8s.io/minikube $MINIKUBE_VERSION

replace (
	k8s.io/api => k8s.io/api $SP_CLIENT_GO
	k8s.io/apimachinery => k8s.io/apimachinery $SP_CLIENT_GO
	k8s.io/client-go => k8s.io/client-go $SP_CLIENT_GO
	k8s.io/kube-openapi => k8s.io/kube-openapi $SP_KUBE_OPENAPI
)
MOD
    printf '//go:build tools\n\npackage tools\n\nimport _ "k8s.io/minikube/cmd/storage-provisioner"\n' > "$src/tools.go"
    rm -f "$src/go.sum"
    (cd "$src" && GOFLAGS=-mod=mod go mod tidy >go-mod.log 2>&1) || { tail -20 "$src/go-mod.log" >&2; die "resolving the storage-provisioner module failed"; }
  fi
  log "building storage-provisioner $STORAGE_PROVISIONER_TAG (minikube $MINIKUBE_VERSION source, client-go $SP_CLIENT_GO)"
  (cd "$src" && GOFLAGS="-mod=mod -buildvcs=false" nice -n "$NICE" go build -p "$GO_JOBS" -trimpath \
    -ldflags "-s -w -X k8s.io/minikube/pkg/storage.version=$STORAGE_PROVISIONER_TAG" -o "$out.tmp" k8s.io/minikube/cmd/storage-provisioner)
  mv -f "$out.tmp" "$out"; stamp "$out" "$key"
}

# crictl: minikube's none driver requires it on root's PATH (Kubernetes 1.24+)
build_crictl() {
  local out="$CLUSTER_CACHE/crictl-$CRICTL_VERSION/crictl"
  stamped "$out" "$CRICTL_VERSION $GO_TOOLCHAIN" && { log "crictl $CRICTL_VERSION cached"; return; }
  need_go
  local src; src="$(module_dir "sigs.k8s.io/cri-tools@$CRICTL_VERSION")"
  mkdir -p "$(dirname "$out")"
  log "building crictl $CRICTL_VERSION"
  (cd "$src" && nice -n "$NICE" go build -p "$GO_JOBS" -trimpath \
    -ldflags "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=${CRICTL_VERSION#v}" -o "$out.tmp" ./cmd/crictl)
  mv -f "$out.tmp" "$out"; stamp "$out" "$CRICTL_VERSION $GO_TOOLCHAIN"
}

# etcd at the version of kubeadm's etcd image (3.6.4-0 → v3.6.4). go.etcd.io/etcd/server/v3 has
# replace directives too, so a three-line wrapper module calls etcdmain.Main.
build_etcd() {
  local tag ver out; tag="$(image_tag etcd)"; ver="v${tag%-*}"
  [[ -n "$tag" ]] || die "kubeadm $K8S_VERSION names no etcd image"
  out="$CLUSTER_CACHE/etcd-$ver/etcd"
  stamped "$out" "$ver $GO_TOOLCHAIN" && { log "etcd $ver cached"; return; }
  need_go
  local src="$SRC_DIR/etcd-$ver" commit
  mkdir -p "$src" "$(dirname "$out")"
  # the go directive must not be newer than the toolchain: the module is regenerated when it is
  if [[ ! -f "$src/go.sum" ]] || ! grep -qx 'go 1.24' "$src/go.mod"; then
    cat > "$src/main.go" <<'GO'
// etcd's own main package (go.etcd.io/etcd/server/v3/main.go), as a wrapper module.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
    printf 'module todo.local/etcd\n\ngo 1.24\n' > "$src/go.mod"; rm -f "$src/go.sum"
    (cd "$src" && GOFLAGS=-mod=mod go get "go.etcd.io/etcd/server/v3@$ver" >go-get.log 2>&1 \
      && GOFLAGS=-mod=mod go mod tidy >>go-get.log 2>&1) || { tail -20 "$src/go-get.log" >&2; die "resolving go.etcd.io/etcd/server/v3@$ver failed"; }
  fi
  commit="$(module_commit go.etcd.io/etcd/server/v3 "$ver")"
  log "building etcd $ver"
  (cd "$src" && nice -n "$NICE" go build -p "$GO_JOBS" -trimpath \
    -ldflags "-s -w ${commit:+-X go.etcd.io/etcd/api/v3/version.GitSHA=${commit:0:7}}" -o "$out.tmp" .)
  mv -f "$out.tmp" "$out"; stamp "$out" "$ver $GO_TOOLCHAIN"
}

# CoreDNS at the version of kubeadm's image, built in its own module source: the upstream binary
# with CoreDNS's standard plugin set (plugin.cfg), as in the official image.
build_coredns() {
  local ver out; ver="$(image_tag coredns)"
  [[ -n "$ver" ]] || die "kubeadm $K8S_VERSION names no CoreDNS image"
  out="$CLUSTER_CACHE/coredns-$ver/coredns"
  stamped "$out" "$ver $GO_TOOLCHAIN" && { log "coredns $ver cached"; return; }
  need_go
  local src commit; src="$(module_dir "github.com/coredns/coredns@$ver")"
  commit="$(module_commit github.com/coredns/coredns "$ver")"
  mkdir -p "$(dirname "$out")"
  log "building coredns $ver (all standard plugins)"
  (cd "$src" && nice -n "$NICE" go build -p "$GO_JOBS" -trimpath \
    -ldflags "-s -w ${commit:+-X github.com/coredns/coredns/coremain.GitCommit=${commit:0:7}}" -o "$out.tmp" .)
  mv -f "$out.tmp" "$out"; stamp "$out" "$ver $GO_TOOLCHAIN"
}

# pause: a static Go binary that sleeps until SIGTERM/SIGINT and reaps zombies (pause/main.go)
build_pause() {
  local out="$CLUSTER_CACHE/pause/pause" key
  key="$(sha256sum "$HERE/pause/main.go" | cut -c1-16) $GO_TOOLCHAIN"
  stamped "$out" "$key" && { log "pause cached"; return; }
  need_go
  local src="$SRC_DIR/pause"
  mkdir -p "$src" "$(dirname "$out")"
  cp "$HERE/pause/main.go" "$src/main.go"
  printf 'module todo.local/pause\n\ngo 1.24\n' > "$src/go.mod"
  (cd "$src" && go build -trimpath -ldflags "-s -w" -o "$out.tmp" .)
  mv -f "$out.tmp" "$out"; stamp "$out" "$key"
}

# ---------------------------------------------------------------------------------------------
# kube-proxy's image needs iptables (iptables-restore/-save, nf_tables backend like the host's):
# a Debian bookworm minbase with iptables and conntrack, made once with debootstrap.
IPTABLES_ROOTFS="$CLUSTER_CACHE/rootfs/bookworm-iptables.tar"
build_iptables_rootfs() {
  stamped "$IPTABLES_ROOTFS" "bookworm minbase+iptables,conntrack" && { log "iptables root filesystem cached"; return; }
  command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"
  local work; work="$(mktemp -d "$CLUSTER_CACHE/.rootfs-XXXXXX")"
  mkdir -p "$(dirname "$IPTABLES_ROOTFS")"
  log "debootstrap --variant=minbase --include=iptables,conntrack bookworm (from $DEBIAN_MIRROR)"
  if ! nice -n "$NICE" debootstrap --variant=minbase --include=iptables,conntrack bookworm "$work/root" "$DEBIAN_MIRROR" >"$work/log" 2>&1; then
    tail -20 "$work/log" >&2; tail -20 "$work/root/debootstrap/debootstrap.log" >&2 2>/dev/null || true
    rm -rf "$work"; die "debootstrap failed"
  fi
  # no device nodes, caches or documentation in an image layer
  rm -rf "$work/root/dev/"* "$work/root/var/cache/apt/"* "$work/root/var/lib/apt/lists/"* \
    "$work/root/usr/share/doc" "$work/root/usr/share/man" "$work/root/usr/share/locale" "$work/root/debootstrap"
  tar --numeric-owner -C "$work/root" -cf "$IPTABLES_ROOTFS.tmp" .
  mv -f "$IPTABLES_ROOTFS.tmp" "$IPTABLES_ROOTFS"; stamp "$IPTABLES_ROOTFS" "bookworm minbase+iptables,conntrack"
  rm -rf "$work"
}

# image REF SOURCE_BINARY PATH_IN_IMAGE USER [BASE_TAR]: a one-layer OCI image tarball for
# `ctr images import`, named REF (the exact reference kubeadm or minikube asks for)
image() {
  local ref="$1" bin="$2" dest="$3" user="$4" base="${5:-}" out key work
  out="$(image_file "$ref")"
  key="$ref recipe=$IMAGE_RECIPE binary=$(sha256sum "$bin" | cut -c1-16)${base:+ base=$(cat "$base.version")}"
  stamped "$out" "$key" && return 0
  work="$(mktemp -d "$CLUSTER_CACHE/.image-XXXXXX")"
  mkdir -p "$work/root/$(dirname "$dest")" "$work/root/tmp" "$work/root/etc" "$IMAGE_DIR"
  [[ -n "$base" ]] && tar --numeric-owner -C "$work/root" -xf "$base"
  chmod 1777 "$work/root/tmp"
  install -m 0755 "$bin" "$work/root$dest"
  [[ -f "$work/root/etc/passwd" ]] || printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' > "$work/root/etc/passwd"
  IMAGE_USER="$user" "$HERE/oci-image.sh" "$work/root" "$dest" "$ref" "$out"
  rm -rf "$work"
  stamp "$out" "$key"
  log "image $ref → $out"
}

build_images() {
  local refs ref name etcd_ver coredns_ver
  refs="$(kubeadm_images)"
  [[ -n "$refs" ]] || die "\`kubeadm config images list --kubernetes-version $K8S_VERSION\` printed nothing"
  etcd_ver="v$(image_tag etcd)"; etcd_ver="${etcd_ver%-*}"; coredns_ver="$(image_tag coredns)"
  for ref in $refs; do
    name="${ref##*/}"; name="${name%%:*}"
    case "$name" in
      kube-apiserver | kube-controller-manager | kube-scheduler)
        image "$ref" "$BIN_DIR/$name" "/usr/local/bin/$name" 0:0 ;;
      kube-proxy) image "$ref" "$BIN_DIR/kube-proxy" /usr/local/bin/kube-proxy 0:0 "$IPTABLES_ROOTFS" ;;
      etcd) image "$ref" "$CLUSTER_CACHE/etcd-$etcd_ver/etcd" /usr/local/bin/etcd 0:0 ;;
      coredns) image "$ref" "$CLUSTER_CACHE/coredns-$coredns_ver/coredns" /coredns 65532:65532 ;;
      pause) image "$ref" "$CLUSTER_CACHE/pause/pause" /pause 65535:65535 ;;
      *) die "kubeadm $K8S_VERSION asks for $ref, which build.sh does not know how to build" ;;
    esac
  done
  image "$STORAGE_PROVISIONER_IMAGE" "$MINIKUBE_DIR/storage-provisioner" /storage-provisioner 0:0
  # the list host.sh imports: kubeadm's images and the default addon's
  { echo "$refs"; echo "$STORAGE_PROVISIONER_IMAGE"; } > "$IMAGE_DIR/images.txt"
}

main() {
  mkdir -p "$BIN_DIR" "$SRC_DIR" "$IMAGE_DIR"
  # one build at a time per cache (CI may start one early; two clones may share the cache)
  exec 9>"$CLUSTER_CACHE/.build.lock"
  if ! flock -n 9; then log "another build.sh holds $CLUSTER_CACHE/.build.lock: waiting for it"; flock 9; fi
  # debootstrap waits on the network, the Go builds on the CPU: run them side by side
  local rootfs_log; rootfs_log="$(mktemp)"
  (build_iptables_rootfs) >"$rootfs_log" 2>&1 &
  local rootfs_pid=$!
  step "build kubernetes $K8S_VERSION" build_kube
  step "build minikube $MINIKUBE_VERSION" build_minikube
  step "build storage-provisioner $STORAGE_PROVISIONER_TAG" build_storage_provisioner
  step "build crictl $CRICTL_VERSION" build_crictl
  step "build etcd (kubeadm's version)" build_etcd
  step "build coredns (kubeadm's version)" build_coredns
  step "build pause" build_pause
  CURRENT_STEP="debootstrap for kube-proxy's image"
  if ! wait "$rootfs_pid"; then cat "$rootfs_log" >&2; rm -f "$rootfs_log"; die "the iptables root filesystem failed"; fi
  CURRENT_STEP=""
  cat "$rootfs_log" >&2; rm -f "$rootfs_log"
  step "images (OCI tarballs)" build_images
}
main "$@"; exit $?
