#!/usr/bin/env bash
# Stop the test cluster started by up.sh and leave nothing behind that runs: processes,
# containers, mounts, network namespaces and interfaces, iptables chains, cgroups.
# Cluster state (etcd data, imported images, certificates) stays in $CLUSTER_DIR for a warm
# start, unless --purge is given. Safe to run when nothing is running.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
PURGE=0; [[ "${1:-}" == --purge ]] && PURGE=1
[[ $EUID == 0 ]] || die "must run as root"

stop() { # stop NAME [grace seconds]
  local name="$1" grace="${2:-10}" f="$RUN_DIR/$1.pid" pid i
  [[ -f "$f" ]] || return 0
  if pid="$(live_pid "$name")"; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < grace * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { log "$name did not stop in ${grace}s: SIGKILL"; kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"; }
  fi
  rm -f "$f"
}
ctrk() { timeout 20 ctr --address "$CONTAINERD_ADDRESS" -n k8s.io "$@"; }

stop_workloads() {
  [[ -S "$CONTAINERD_ADDRESS" ]] && running_containerd || return 0
  local ids id
  ids="$(ctrk tasks ls -q 2>/dev/null)"
  for id in $ids; do ctrk tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1; done
  for id in $ids; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do ctrk tasks delete "$id" >/dev/null 2>&1 && break; sleep 0.2; done
  done
  ids="$(ctrk containers ls -q 2>/dev/null)"
  for id in $ids; do ctrk containers delete "$id" >/dev/null 2>&1; done
}
running_containerd() { live_pid containerd >/dev/null; }

clean_shims() { # shims of our containerd only (their command line carries our socket)
  local pid
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $CONTAINERD_ADDRESS" 2>/dev/null); do
    kill -KILL "$pid" 2>/dev/null
  done
}

clean_mounts() {
  local m
  # pod sandboxes' network namespaces made by our containerd's CNI
  for m in /run/netns/cni-* /var/run/netns/cni-*; do
    [[ -e "$m" ]] || continue
    umount "$m" 2>/dev/null; rm -f "$m"
  done
  rmdir /run/netns 2>/dev/null # only when empty (containerd made it)
  # everything mounted below our folders, deepest first
  for _ in 1 2 3; do
    findmnt -rn -o TARGET | grep -E "^($CLUSTER_DIR|$RUN_DIR)(/|$)" | sort -r | while read -r m; do
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
    done
  done
}

clean_network() {
  ip link show "$CNI_BRIDGE" >/dev/null 2>&1 && ip link delete "$CNI_BRIDGE"
  ip link show "$NODE_IF" >/dev/null 2>&1 && ip link delete "$NODE_IF"
  rm -rf "$CLUSTER_DIR/cni/ipam"
  # kube-proxy, kubelet and CNI chains and our own egress chain; Docker's stay untouched
  [[ -x "$BIN_DIR/kube-proxy" ]] && "$BIN_DIR/kube-proxy" --cleanup >/dev/null 2>&1
  local ipt table chain
  for ipt in iptables ip6tables; do
    command -v "$ipt" >/dev/null || continue
    for table in filter nat mangle raw; do
      # rules that jump into our chains, then the chains themselves
      "$ipt" -t "$table" -S 2>/dev/null | grep -E '^-A ' | grep -E -- '-j (KUBE-|CNI-|TODO-CLUSTER)' | while read -r rule; do
        eval "$ipt -t $table ${rule/-A /-D }" 2>/dev/null
      done
      for chain in $("$ipt" -t "$table" -S 2>/dev/null | awk '/^-N (KUBE-|CNI-|TODO-CLUSTER)/ {print $2}'); do
        "$ipt" -t "$table" -F "$chain" 2>/dev/null
      done
      for chain in $("$ipt" -t "$table" -S 2>/dev/null | awk '/^-N (KUBE-|CNI-|TODO-CLUSTER)/ {print $2}'); do
        "$ipt" -t "$table" -X "$chain" 2>/dev/null
      done
    done
  done
}

clean_cgroups() { # the kubelet's pod cgroups (cgroup v1, cgroupfs driver)
  local d
  for d in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
    [[ -d "$d" ]] || continue
    find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
}

stop_addons() { stop provisioner 3; stop coredns 5; }
stop_node() { stop kubelet 10; stop kube-proxy 10; }
stop_runtime() { stop_workloads; stop containerd 15; clean_shims; }
stop_control_plane() { stop kube-scheduler; stop kube-controller-manager; stop kube-apiserver 20; stop etcd 10; }

main() {
  step "stop provisioner, coredns" stop_addons
  step "stop kubelet, kube-proxy" stop_node
  step "stop containers, containerd" stop_runtime
  step "stop control plane" stop_control_plane
  step "unmount" clean_mounts
  step "network cleanup" clean_network
  clean_cgroups
  if ((PURGE)); then
    step "purge $CLUSTER_DIR" rm -rf --one-file-system "$CLUSTER_DIR"
  fi
  rm -rf "$RUN_DIR"
  local left
  left="$(pgrep -af "$BIN_DIR/|$CLUSTER_DIR/containerd/config.toml|$CLUSTER_DIR/Corefile|test/cluster/provisioner.sh|-address $CONTAINERD_ADDRESS" 2>/dev/null | grep -v -E "pgrep|down.sh" || true)"
  [[ -z "$left" ]] || { log "still running:"; echo "$left" >&2; exit 1; }
  log "cluster stopped; nothing left running"
}
main "$@"; exit $?
