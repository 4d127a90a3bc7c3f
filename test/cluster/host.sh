#!/usr/bin/env bash
# Prepares this Linux host for `minikube start --driver=none --container-runtime=containerd`
# without any container registry, after build.sh. Idempotent; every step checks first.
#   - Debian packages the none driver and kubeadm need (containerd, runc, CNI plugins, conntrack,
#     socat, sudo, …), installed without starting their daemons
#   - minikube and crictl on root's PATH (/usr/local/bin)
#   - the OpenRC-style service scripts minikube drives when PID 1 is not systemd: a `systemctl`
#     earlier on PATH that reports "not booted with systemd" (the real one says --version works,
#     so minikube would assume systemd), and /etc/init.d/containerd for Debian's containerd
#   - containerd's CRI settings in a drop-in that minikube's sed edits of config.toml never reach:
#     restrict_oom_score_adj (this machine withholds CAP_SYS_RESOURCE), the pause image, cgroupfs
#   - /opt/cni/bin (minikube checks it; Debian installs the plugins in /usr/lib/cni)
#   - kubeadm, kubelet, kubectl where minikube looks for cached binaries before downloading
#     ($MINIKUBE_HOME/cache/linux/amd64/<version>/)
#   - every image kubeadm and minikube's default addons ask for, imported into containerd's k8s.io
#     namespace under the exact reference (so nothing is pulled)
# Needs root. Usage: test/cluster/host.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
on_fail_report
[[ $EUID == 0 ]] || die "must run as root (the none driver runs Kubernetes on this host)"
MANAGED="# managed by test/cluster/host.sh"
# the test registry (test/registry) the beyond-one-machine phases push to; started on this port
TEST_REGISTRY="localhost:${TEST_REGISTRY_PORT:-5050}"

# put FILE MODE < content: replaces FILE only when the content differs
put() {
  local tmp; tmp="$(mktemp)"
  cat > "$tmp"
  if [[ -f "$1" ]] && cmp -s "$tmp" "$1"; then rm -f "$tmp"; return 0; fi
  mkdir -p "$(dirname "$1")"; install -m "$2" "$tmp" "$1"; rm -f "$tmp"
  log "wrote $1"
}

packages() {
  local want=() p
  for p in containerd runc containernetworking-plugins conntrack socat sudo ethtool iptables iproute2 kmod util-linux curl bc; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || want+=("$p")
  done
  ((${#want[@]} == 0)) && return 0
  log "apt-get install ${want[*]}"
  mkdir -p "$LOG_DIR"
  # policy-rc.d: the packages must not start their own daemons (containerd is started below)
  local had_policy=0; [[ -e /usr/sbin/policy-rc.d ]] && had_policy=1
  ((had_policy)) || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
  local ok=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >"$LOG_DIR/apt.log" 2>&1 && ok=1
  if ((!ok)); then
    apt-get update -qq >>"$LOG_DIR/apt.log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >>"$LOG_DIR/apt.log" 2>&1 && ok=1
  fi
  ((had_policy)) || rm -f /usr/sbin/policy-rc.d
  ((ok)) || { tail -20 "$LOG_DIR/apt.log" >&2; die "apt-get install ${want[*]} failed (log: $LOG_DIR/apt.log)"; }
}

binaries() {
  local crictl="$CLUSTER_CACHE/crictl-$CRICTL_VERSION/crictl"
  [[ -x "$MINIKUBE_DIR/minikube" && -x "$crictl" ]] || die "minikube or crictl is not built: run test/cluster/build.sh first"
  cmp -s "$MINIKUBE_DIR/minikube" /usr/local/bin/minikube || install -m 0755 "$MINIKUBE_DIR/minikube" /usr/local/bin/minikube
  cmp -s "$crictl" /usr/local/bin/crictl || install -m 0755 "$crictl" /usr/local/bin/crictl
  # minikube's binary cache: it copies these into /var/lib/minikube/binaries/<version> itself
  mkdir -p "$MINIKUBE_BIN_CACHE"
  local b
  for b in kubeadm kubelet kubectl; do
    [[ -x "$BIN_DIR/$b" ]] || die "$BIN_DIR/$b is missing: run test/cluster/build.sh first"
    [[ "$(readlink "$MINIKUBE_BIN_CACHE/$b" 2>/dev/null)" == "$BIN_DIR/$b" ]] || ln -sfn "$BIN_DIR/$b" "$MINIKUBE_BIN_CACHE/$b"
  done
  # minikube's own switch for its release check (a download from storage.googleapis.com)
  local key
  for key in WantUpdateNotification WantBetaUpdateNotification; do
    [[ "$(minikube config get "$key" 2>/dev/null)" == false ]] || minikube config set "$key" false >/dev/null
  done
}

# minikube decides between systemd and its OpenRC path with `systemctl --version`; where PID 1 is
# not systemd but the systemctl binary is installed, that succeeds and every `systemctl start`
# then fails. This shim passes through on a systemd host and otherwise answers like systemctl's
# other verbs do there.
init_shims() {
  local real
  real="$(PATH=/usr/bin:/bin command -v systemctl || true)"
  if [[ -d /run/systemd/system ]]; then
    # a systemd host needs none of this
    rm -f /usr/local/sbin/systemctl
    return 0
  fi
  put /usr/local/sbin/systemctl 0755 <<SH
#!/bin/sh
$MANAGED
# PID 1 is not systemd here: say so (as systemctl does for its other verbs), so that tools which
# probe with \`systemctl --version\` (minikube) use their non-systemd path. On a host booted with
# systemd this passes through to the real systemctl.
if [ -d /run/systemd/system ] && [ -x "${real:-/usr/bin/systemctl}" ]; then exec "${real:-/usr/bin/systemctl}" "\$@"; fi
echo "System has not been booted with systemd as init system (PID 1). Can't operate." >&2
exit 1
SH
  put /etc/init.d/containerd 0755 <<'SH'
#!/bin/sh
### BEGIN INIT INFO
# Provides:          containerd
# Required-Start:    $local_fs $network
# Required-Stop:     $local_fs
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: containerd for minikube's none driver
### END INIT INFO
# managed by test/cluster/host.sh
# Debian's containerd on /run/containerd/containerd.sock, for machines whose PID 1 is not systemd:
# minikube's OpenRC path runs `service containerd start|stop|restart|status`. Docker's own
# containerd (another config, another socket) is never matched: the pid file names ours.
DAEMON=/usr/bin/containerd
PIDFILE=/run/containerd-minikube.pid
CONFIG=/etc/containerd/config.toml
LOG=/var/log/containerd-minikube.log
SOCK=/run/containerd/containerd.sock

do_start() {
  start-stop-daemon --start --quiet --oknodo --background --make-pidfile --pidfile "$PIDFILE" \
    --output "$LOG" --exec "$DAEMON" -- --config "$CONFIG"
  i=0
  while [ $i -lt 100 ]; do
    [ -S "$SOCK" ] && ctr --address "$SOCK" version >/dev/null 2>&1 && return 0
    i=$((i + 1)); sleep 0.2
  done
  echo "containerd did not answer on $SOCK within 20s (log: $LOG)" >&2
  return 1
}
do_stop() {
  start-stop-daemon --stop --quiet --oknodo --retry TERM/20/KILL/5 --pidfile "$PIDFILE" --exec "$DAEMON"
  rm -f "$PIDFILE"
}
case "$1" in
  start) do_start ;;
  stop) do_stop ;;
  restart | force-reload) do_stop; do_start ;;
  status) start-stop-daemon --status --pidfile "$PIDFILE" --exec "$DAEMON" ;;
  *) echo "Usage: $0 {start|stop|restart|status}" >&2; exit 3 ;;
esac
SH
}

cni() {
  local p
  [[ -d /usr/lib/cni ]] || die "/usr/lib/cni is missing: apt-get install containernetworking-plugins"
  mkdir -p "$CNI_BIN_DIR"
  for p in /usr/lib/cni/*; do
    [[ -e "$CNI_BIN_DIR/$(basename "$p")" ]] || ln -s "$p" "$CNI_BIN_DIR/$(basename "$p")"
  done
}

containerd_config() {
  local pause systemd_cgroup=false
  pause="$(grep -E '/pause:' "$IMAGE_DIR/images.txt" | head -1)"
  [[ -n "$pause" ]] || die "$IMAGE_DIR/images.txt names no pause image: run test/cluster/build.sh"
  # the cgroup driver minikube picks (pkg/minikube/detect): cgroupfs on cgroup v1, systemd on v2
  [[ "$(stat -fc %T /sys/fs/cgroup)" == cgroup2fs ]] && systemd_cgroup=true
  put /etc/containerd/config.toml 0644 <<TOML
$MANAGED
# Debian's containerd as minikube's none driver runtime. minikube edits this file with sed on
# every start (sandbox_image, restrict_oom_score_adj = false, SystemdCgroup, conf_dir); the CRI
# settings this machine needs live in the drop-in below, which replaces the whole CRI section.
version = 2
imports = ["/etc/containerd/conf.d/*.toml"]

[plugins]
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "$pause"
    restrict_oom_score_adj = true
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "$CNI_BIN_DIR"
      conf_dir = "/etc/cni/net.d"
TOML
  put /etc/containerd/conf.d/50-todo-cluster.toml 0644 <<TOML
$MANAGED
version = 2

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause"
  # This machine withholds CAP_SYS_RESOURCE: no process may lower its oom_score_adj, and the
  # kubelet gives pod sandboxes -998, so runc fails ("can't get final child's PID from pipe:
  # EOF"). containerd clamps the score to its own instead.
  restrict_oom_score_adj = true
  # minikube adds this for CoreDNS (non-root on port 53); it has to be here as well
  enable_unprivileged_ports = true
  enable_unprivileged_icmp = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = $systemd_cgroup
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN_DIR"
    conf_dir = "/etc/cni/net.d"
  # registries by host name (certs.d/<host>/hosts.toml): the suite's plain-HTTP test registry
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "/etc/containerd/certs.d"
TOML
  # the test registry of the IMAGE_LOADER=registry phases (test/beyond), plain HTTP on loopback;
  # no credentials here: the kubelet passes the pods' image pull Secret
  put "/etc/containerd/certs.d/$TEST_REGISTRY/hosts.toml" 0644 <<TOML
server = "http://$TEST_REGISTRY"

[host."http://$TEST_REGISTRY"]
  capabilities = ["pull", "resolve"]
TOML
}

ctrk() { ctr --address "$CONTAINERD_SOCK" --namespace k8s.io "$@"; }

start_containerd() {
  if ! service containerd status >/dev/null 2>&1; then
    service containerd start
  fi
  ctr --address "$CONTAINERD_SOCK" version >/dev/null || die "containerd does not answer on $CONTAINERD_SOCK (log: /var/log/containerd-minikube.log)"
}

# imports each image whose reference is missing or names another digest than the cached tarball
import_images() {
  local listing ref file want have n=0
  [[ -f "$IMAGE_DIR/images.txt" ]] || die "$IMAGE_DIR/images.txt is missing: run test/cluster/build.sh"
  listing="$(ctrk images ls 2>/dev/null)"
  while read -r ref; do
    [[ -n "$ref" ]] || continue
    file="$(image_file "$ref")"
    [[ -f "$file" ]] || die "no image tarball for $ref ($file): run test/cluster/build.sh"
    want="$(tar -xOf "$file" index.json | grep -o '"digest":"sha256:[0-9a-f]*"' | head -1 | cut -d'"' -f4)"
    have="$(awk -v r="$ref" '$1 == r {print $3}' <<<"$listing")"
    [[ "$have" == "$want" ]] && continue
    ctrk images import "$file" >/dev/null
    n=$((n + 1))
  done < "$IMAGE_DIR/images.txt"
  # every reference must now resolve, or kubeadm would try a registry and time out
  listing="$(ctrk images ls -q 2>/dev/null)"
  local missing=()
  while read -r ref; do
    [[ -z "$ref" ]] || grep -qxF "$ref" <<<"$listing" || missing+=("$ref")
  done < "$IMAGE_DIR/images.txt"
  ((${#missing[@]} == 0)) || die "images still missing in containerd after the import: ${missing[*]}"
  log "images: $n imported, $(grep -c . "$IMAGE_DIR/images.txt") present"
}

main() {
  mkdir -p "$LOG_DIR"
  step "Debian packages" packages
  step "minikube, crictl, Kubernetes binary cache" binaries
  step "service scripts (no systemd)" init_shims
  step "CNI plugins in $CNI_BIN_DIR" cni
  step "containerd configuration" containerd_config
  step "containerd running" start_containerd
  step "images in containerd" import_images
}
main "$@"; exit $?
