# Shared settings and helpers for test/cluster/*.sh. Sourced, not run.
# Everything is overridable from the environment.
K8S_VERSION="${K8S_VERSION:-v1.34.4}"
COREDNS_VERSION="${COREDNS_VERSION:-v1.12.4}"
CLUSTER_CACHE="${CLUSTER_CACHE:-/var/cache/todo-cluster}"
CACHE_DIR="$CLUSTER_CACHE/$K8S_VERSION"
BIN_DIR="$CACHE_DIR/bin"
CLUSTER_DIR="${CLUSTER_DIR:-/var/lib/todo-cluster}"
RUN_DIR="${CLUSTER_RUN_DIR:-/run/todo-cluster}"
LOG_DIR="$CLUSTER_DIR/logs"
PKI="$CLUSTER_DIR/pki"
KUBECONFIG_ADMIN="$CLUSTER_DIR/admin.kubeconfig"
CONTAINERD_ADDRESS="${CONTAINERD_ADDRESS:-$RUN_DIR/containerd/containerd.sock}"
PAUSE_IMAGE="${PAUSE_IMAGE:-registry.k8s.io/pause:3.10}"
NICE="${CLUSTER_BUILD_NICE:-15}"
GO_JOBS="${CLUSTER_BUILD_JOBS:-2}"
POD_CIDR="${CLUSTER_POD_CIDR:-10.244.0.0/24}"
SERVICE_CIDR="${CLUSTER_SERVICE_CIDR:-10.96.0.0/16}"
SERVICE_IP="10.96.0.1"
DNS_IP="10.96.0.10"
# The node's own address, on a dummy interface of this host (never routed off the machine).
NODE_IF="todo-node0"
NODE_IP="${CLUSTER_NODE_IP:-10.242.0.1}"
NODE_NAME="${CLUSTER_NODE_NAME:-todo-node}"
CNI_BRIDGE="todo-cni0"
POD_GATEWAY="${POD_CIDR%.*}.1"
API_PORT="${CLUSTER_API_PORT:-6443}"
ETCD_PORT="${CLUSTER_ETCD_PORT:-12379}"

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
  printf '[cluster %s] step %-38s %6.1fs\n' "$(date +%H:%M:%S)" "$name" "$(echo "$t1 - $t0" | bc)" >&2
}
on_fail_report() {
  trap 'rc=$?; if [[ $rc != 0 && -n "$CURRENT_STEP" ]]; then log "FAILED in step: $CURRENT_STEP (exit $rc); logs in $LOG_DIR"; fi' EXIT
}

# Pid files hold "PID START" (START: the process's start time in ticks since boot). This /run
# may live on disk and survive a reboot, so a bare pid could name an unrelated process by now.
proc_start() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }
save_pid() { echo "$2 $(proc_start "$2")" > "$RUN_DIR/$1.pid"; }
# live_pid NAME: prints the recorded pid when that very process is still running
live_pid() {
  local f="$RUN_DIR/$1.pid" pid start
  [[ -f "$f" ]] || return 1
  read -r pid start < "$f" || [[ -n "${pid:-}" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ -n "$start" && "$(proc_start "$pid")" == "$start" ]] || return 1
  echo "$pid"
}
