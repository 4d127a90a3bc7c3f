# Shared settings and helpers for test/cluster/*.sh. Sourced, not run.
# Everything is overridable from the environment.
#
# Versions: minikube's own defaults. K8S_VERSION is the Kubernetes minikube v1.37.0 starts when no
# --kubernetes-version is given (constants.DefaultKubernetesVersion), so `minikube start` needs no
# version flag and never looks a newer one up online. The images kubeadm asks for (etcd, CoreDNS,
# pause) are read from the built kubeadm itself (`kubeadm config images list`), not written here.
K8S_VERSION="${K8S_VERSION:-v1.34.0}"
MINIKUBE_VERSION="${MINIKUBE_VERSION:-v1.37.0}"
# minikube's Makefile: STORAGE_PROVISIONER_TAG, baked into both binaries
STORAGE_PROVISIONER_TAG="${STORAGE_PROVISIONER_TAG:-v5}"
CRICTL_VERSION="${CRICTL_VERSION:-v1.34.0}"
# The Go release every component is built with: minikube's Makefile pins GOTOOLCHAIN=go1.24.6
# (GO_VERSION), and Kubernetes v1.34.0 was released with Go 1.24.6. A newer Go breaks this
# kubeadm: Go 1.26's net/url rejects the "https://[10.96.0.1]:1234/" URL its HTTPProxyCIDR
# preflight check builds ("invalid IP-literal"; fixed in Kubernetes v1.34.4). The go command
# fetches the toolchain as the module golang.org/toolchain from the Go module proxy.
GO_TOOLCHAIN="${CLUSTER_GO_TOOLCHAIN:-go1.24.6}"

CLUSTER_CACHE="${CLUSTER_CACHE:-/var/cache/todo-cluster}"
CACHE_DIR="$CLUSTER_CACHE/$K8S_VERSION"
BIN_DIR="$CACHE_DIR/bin"               # Kubernetes binaries (and the images made from them)
IMAGE_DIR="$CACHE_DIR/images"          # OCI image tarballs, one per reference kubeadm/minikube use
MINIKUBE_DIR="$CLUSTER_CACHE/minikube-$MINIKUBE_VERSION"
SRC_DIR="$CLUSTER_CACHE/src"           # generated wrapper modules
LOG_DIR="${CLUSTER_LOG_DIR:-/var/log/todo-cluster}"
NICE="${CLUSTER_BUILD_NICE:-15}"
GO_JOBS="${CLUSTER_BUILD_JOBS:-2}"

# Where minikube looks for cached Kubernetes binaries before it would download them
# (pkg/minikube/download/binary.go: $MINIKUBE_HOME/cache/linux/<arch>/<version>/<name>).
MINIKUBE_HOME_DIR="${MINIKUBE_HOME:-$HOME/.minikube}"
MINIKUBE_BIN_CACHE="$MINIKUBE_HOME_DIR/cache/linux/amd64/$K8S_VERSION"

# The host side of the none driver
CONTAINERD_SOCK=/run/containerd/containerd.sock
CNI_BIN_DIR=/opt/cni/bin
HOSTPATH_PV_DIR=/tmp/hostpath-provisioner   # minikube's storage-provisioner keeps PV data here

log() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# step "name" cmd args...: runs a step and prints how long it took. Under `set -e` a failing
# step ends the script (the EXIT trap set by on_fail_report names the step).
CURRENT_STEP=""
step() {
  local name="$1" t0 t1; shift
  CURRENT_STEP="$name"
  t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N)
  CURRENT_STEP=""
  printf '[cluster %s] step %-44s %6.1fs\n' "$(date +%H:%M:%S)" "$name" "$(echo "$t1 - $t0" | bc)" >&2
}
on_fail_report() {
  trap 'rc=$?; if [[ $rc != 0 && -n "$CURRENT_STEP" ]]; then log "FAILED in step: $CURRENT_STEP (exit $rc)"; fi' EXIT
}

# stamped OUT KEY: OUT exists and its stamp file OUT.version holds exactly KEY
stamped() { [[ -e "$1" && -f "$1.version" && "$(cat "$1.version")" == "$2" ]]; }
stamp() { echo "$2" > "$1.version"; }

need_go() {
  export PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null || die "Go is required to build the cluster binaries (not found on PATH or in /usr/local/go/bin): install Go 1.24 or newer"
  # The checksum database is not reachable here: no module path is looked up in it (GONOSUMDB
  # matches all; the toolchain switch refuses GOSUMDB=off), dependencies are verified against
  # each module's own go.sum.
  export GOTOOLCHAIN="$GO_TOOLCHAIN" GOSUMDB=sum.golang.org GONOSUMDB='*' GOFLAGS="${GOFLAGS:-} -buildvcs=false" CGO_ENABLED=0
  # stdout only: the first call fetches the toolchain and says so on stderr ("go: downloading …")
  local v err; err="$(mktemp)"
  if ! v="$(cd /tmp && go env GOVERSION 2>"$err")"; then
    v="$(cat "$err")"; rm -f "$err"
    die "cannot get the Go toolchain $GO_TOOLCHAIN from the Go module proxy: $v"
  fi
  rm -f "$err"
  [[ "$v" == "$GO_TOOLCHAIN" ]] || die "go reports $v, not $GO_TOOLCHAIN"
}

# module_dir MODULE@VERSION: downloads a module (Go module proxy) and prints its source folder
module_dir() {
  local dir
  dir="$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "$1" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$dir" ]] || die "could not download $1 from the Go module proxy ($(go env GOPROXY))"
  echo "$dir"
}

# the image references kubeadm $K8S_VERSION pulls during `kubeadm init`
kubeadm_images() { "$BIN_DIR/kubeadm" config images list --kubernetes-version "$K8S_VERSION" 2>/dev/null; }
# image_tag NAME: the tag kubeadm wants for registry.k8s.io/.../NAME
image_tag() { kubeadm_images | sed -n "s|^.*/$1:\(.*\)$|\1|p" | head -1; }
# the storage-provisioner image of minikube's default addon (pkg/minikube/bootstrapper/images)
STORAGE_PROVISIONER_IMAGE="gcr.io/k8s-minikube/storage-provisioner:$STORAGE_PROVISIONER_TAG"
# image_file REF: the cached OCI tarball of an image reference
image_file() { local f="${1//\//_}"; echo "$IMAGE_DIR/${f//:/_}.tar"; }
