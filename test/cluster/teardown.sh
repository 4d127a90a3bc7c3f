#!/usr/bin/env bash
# Deletes the Minikube profile and removes what the none driver leaves on this host, so that the
# next run and everything else sharing the machine (Docker, PostgreSQL on 5432) find it as before:
#   processes    kubelet (and minikube's restart wrapper), every pod's container and shim,
#                containerd (/etc/init.d/containerd; Docker's own containerd is not touched)
#   mounts       /var/lib/kubelet (the kubelet bind-mounts it onto itself, rshared) and below,
#                containerd's sandbox and rootfs mounts, /run/netns/cni-*
#   network      the `bridge` interface of minikube's bridge CNI, KUBE-* and CNI-* iptables chains
#                (and the rules jumping to them), host-local IPAM state in /var/lib/cni
#   files        PersistentVolume data (/tmp/hostpath-provisioner), /etc/cni/net.d/1-k8s.conflist,
#                the kubelet's init script and unit files, /etc/kubernetes, the control-plane
#                aliases minikube adds to /etc/hosts, kubepods cgroups
# Kept for a warm start: the build cache (/var/cache/todo-cluster), minikube's binary cache
# (~/.minikube/cache) and, in containerd's store (/var/lib/containerd), the images host.sh
# imported; the ones `minikube image load` brought in are removed.
# Safe to run when nothing is running. Needs root. Usage: test/cluster/teardown.sh
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
[[ $EUID == 0 ]] || die "must run as root"
PROFILE="${MINIKUBE_PROFILE:-minikube}"

delete_profile() {
  command -v minikube >/dev/null || return 0
  timeout 300 minikube delete -p "$PROFILE" 2>&1 | sed 's/^/  │ minikube /' >&2
  return 0
}

# pids of minikube's own processes: NAME (comm) whose executable lies under PREFIX
owned_pids() {
  local pid exe
  for pid in $(pgrep -x "$1" 2>/dev/null); do
    exe="$(readlink "/proc/$pid/exe" 2>/dev/null)"
    [[ "$exe" == "$2"* ]] && echo "$pid"
  done
}

stop_kubelet() {
  [[ -x /etc/init.d/kubelet ]] && timeout 60 /etc/init.d/kubelet stop >/dev/null 2>&1
  # minikube's OpenRC shim restarts the kubelet from a wrapper loop: stop the loop first, then
  # the kubelet it started (both found by their paths under /var/lib/minikube, stopped by pid)
  local pids
  pids="$(pgrep -f '^/bin/bash /var/lib/minikube/openrc-restart-wrapper.sh' 2>/dev/null)"
  [[ -n "$pids" ]] && kill $pids 2>/dev/null
  pids="$(owned_pids kubelet /var/lib/minikube/binaries/)"
  [[ -n "$pids" ]] && kill $pids 2>/dev/null
  for _ in $(seq 1 50); do [[ -z "$(owned_pids kubelet /var/lib/minikube/binaries/)" ]] && break; sleep 0.1; done
  pids="$(owned_pids kubelet /var/lib/minikube/binaries/)"
  [[ -n "$pids" ]] && kill -KILL $pids 2>/dev/null
  rm -f /var/run/kubelet.pid
  return 0
}

ctrk() { timeout 20 ctr --address "$CONTAINERD_SOCK" --namespace k8s.io "$@"; }
stop_workloads() {
  [[ -S "$CONTAINERD_SOCK" ]] && ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1 || return 0
  local ids id
  ids="$(ctrk tasks ls -q 2>/dev/null)"
  for id in $ids; do ctrk tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1; done
  for id in $ids; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do ctrk tasks delete "$id" >/dev/null 2>&1 && break; sleep 0.2; done
  done
  ids="$(ctrk containers ls -q 2>/dev/null)"
  for id in $ids; do ctrk containers delete "$id" >/dev/null 2>&1; done
  return 0
}

# Images other than the ones host.sh imports (kubeadm's and the addon's) go: the app images came
# in through `minikube image load` and must come in that way again on the next run, as on a fresh
# node (containerd's store is the host's, so `minikube delete` keeps them with this driver).
prune_images() {
  [[ -f "$IMAGE_DIR/images.txt" && -S "$CONTAINERD_SOCK" ]] || return 0
  ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1 || return 0
  local listing keep ref digest n=0
  listing="$(ctrk images ls 2>/dev/null | tail -n +2)"
  # manifests of the kept references (their sha256: aliases point at the same digests)
  keep="$(awk 'NR == FNR { want[$1] = 1; next } ($1 in want) { print $3 }' "$IMAGE_DIR/images.txt" - <<<"$listing")"
  while read -r ref _ digest _; do
    [[ -n "$ref" ]] || continue
    grep -qxF "$digest" <<<"$keep" && continue
    ctrk images rm "$ref" >/dev/null 2>&1 && n=$((n + 1))
  done <<<"$listing"
  log "removed $n image reference(s) that did not come from host.sh"
  return 0
}

stop_containerd() {
  [[ -x /etc/init.d/containerd ]] && timeout 60 /etc/init.d/containerd stop >/dev/null 2>&1
  # shims of this containerd only (their command line names its socket)
  local pid
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $CONTAINERD_SOCK" 2>/dev/null); do
    kill -KILL "$pid" 2>/dev/null
  done
  return 0
}

unmount_all() {
  local m
  for m in /run/netns/cni-*; do
    [[ -e "$m" ]] || continue
    umount "$m" 2>/dev/null; rm -f "$m"
  done
  for _ in 1 2 3; do
    findmnt -rn -o TARGET | grep -E '^(/var/lib/kubelet|/run/containerd|/var/lib/containerd/io\.containerd\.grpc\.v1\.cri)(/|$)' \
      | sort -r | while read -r m; do
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
      done
  done
  return 0
}

clean_network() {
  [[ "$(cat /sys/class/net/bridge/type 2>/dev/null)" == 1 && -d /sys/class/net/bridge/bridge ]] && ip link delete bridge
  rm -rf /var/lib/cni
  local kp="$BIN_DIR/kube-proxy"
  [[ -x "$kp" ]] && "$kp" --cleanup >/dev/null 2>&1
  local ipt table chain
  for ipt in iptables ip6tables; do
    command -v "$ipt" >/dev/null || continue
    for table in filter nat mangle raw; do
      # rules that jump into the chains, then the chains themselves; Docker's stay untouched
      "$ipt" -w -t "$table" -S 2>/dev/null | grep -E '^-A ' | grep -E -- '-j (KUBE-|CNI-)' | while read -r rule; do
        eval "$ipt -w -t $table ${rule/-A /-D }" 2>/dev/null
      done
      for chain in $("$ipt" -w -t "$table" -S 2>/dev/null | awk '/^-N (KUBE-|CNI-)/ {print $2}'); do
        "$ipt" -w -t "$table" -F "$chain" 2>/dev/null
      done
      for chain in $("$ipt" -w -t "$table" -S 2>/dev/null | awk '/^-N (KUBE-|CNI-)/ {print $2}'); do
        "$ipt" -w -t "$table" -X "$chain" 2>/dev/null
      done
    done
  done
  return 0
}

clean_files() {
  rm -rf "$HOSTPATH_PV_DIR" /etc/kubernetes /var/lib/kubelet /var/lib/minikube
  rm -f /etc/cni/net.d/1-k8s.conflist /etc/init.d/kubelet /etc/systemd/system/kubelet.service
  rm -rf /etc/systemd/system/kubelet.service.d
  # minikube's aliases in the host's /etc/hosts (written in place: it may be a bind mount)
  if grep -qE '\s(control-plane|host)\.minikube\.internal$' /etc/hosts 2>/dev/null; then
    local kept; kept="$(grep -vE '\s(control-plane|host)\.minikube\.internal$' /etc/hosts)"
    printf '%s\n' "$kept" > /etc/hosts
  fi
  local d
  for d in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
    [[ -d "$d" ]] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
  return 0
}

# the suite's test registry (test/registry), left listening by a run that was killed: only a
# process of the cached registry binary on that port is stopped
stop_test_registry() {
  local port="${TEST_REGISTRY_PORT:-5050}" pid exe
  for pid in $(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
    exe="$(readlink "/proc/$pid/exe" 2>/dev/null)"
    [[ "$exe" == "$CLUSTER_CACHE"/registry-*/registry ]] && kill "$pid" 2>/dev/null
  done
  return 0
}

leftovers() {
  local left
  # by process name (comm, 15 characters), so a compiler building these elsewhere never matches
  # (one name per call: pgrep refuses a pattern longer than 15 characters with -x)
  local name
  left="$(
    for name in kubelet kube-apiserver kube-controller kube-scheduler kube-proxy etcd coredns storage-provisi; do
      pgrep -a -x "$name" 2>/dev/null
    done
    pgrep -a -f 'openrc-restart-wrapper|containerd --config /etc/containerd/config.toml|containerd-shim-runc-v2 .*-address /run/containerd/containerd.sock' 2>/dev/null \
      | grep -v -E 'pgrep|teardown.sh'
  )"
  [[ -z "$left" ]] || { log "still running:"; echo "$left" >&2; return 1; }
  findmnt -rn -o TARGET | grep -qE '^/var/lib/kubelet(/|$)' && { log "still mounted: /var/lib/kubelet"; return 1; }
  iptables -w -S 2>/dev/null | grep -qE '^-N (KUBE-|CNI-)' && { log "iptables chains left"; return 1; }
  return 0
}

main() {
  step "stop a test registry a killed run left" stop_test_registry
  step "minikube delete -p $PROFILE" delete_profile
  step "stop kubelet" stop_kubelet
  step "stop containers" stop_workloads
  step "remove the images minikube loaded" prune_images
  step "stop containerd" stop_containerd
  step "unmount" unmount_all
  step "network cleanup" clean_network
  step "files, /etc/hosts, cgroups" clean_files
  if leftovers; then log "minikube deleted; nothing of the none driver left on this host"; else exit 1; fi
}
main "$@"; exit $?
