#!/usr/bin/env bash
# Bring up a real single-node Kubernetes on this machine, without any container registry:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy as host
# processes; containerd (own instance, own socket) + runc + bridge CNI; CoreDNS and a hostPath
# provisioner-free default StorageClass with a static PV pool.
#
# Idempotent: a component that is already running and healthy is left alone.
# Usage: test/cluster/up.sh            (then: export KUBECONFIG=/var/lib/todo-cluster/admin.kubeconfig)
# Tear down: test/cluster/down.sh
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"

[[ $EUID == 0 ]] || die "must run as root (it starts a kubelet and a container runtime)"
[[ "$(uname -s)" == Linux ]] || die "Linux only"

# ---------------------------------------------------------------------------------------------
install_packages() {
  local want=() p
  for p in containerd runc containernetworking-plugins conntrack iptables ipset socat openssl iproute2 kmod bc jq curl dnsutils; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || want+=("$p")
  done
  dpkg-query -W -f='${Status}' etcd-server 2>/dev/null | grep -q 'ok installed' || want+=(etcd-server)
  ((${#want[@]} == 0)) && return 0
  log "apt-get install ${want[*]}"
  # policy-rc.d: do not let the packages start their own daemons (Debian's containerd/etcd units)
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >"$LOG_DIR/apt.log" 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}" >"$LOG_DIR/apt.log" 2>&1; } \
    || { rm -f /usr/sbin/policy-rc.d; tail -20 "$LOG_DIR/apt.log"; die "apt-get install failed"; }
  rm -f /usr/sbin/policy-rc.d
}

# ---------------------------------------------------------------------------------------------
# Processes are started with setsid, their pid in $RUN_DIR/<name>.pid, output in $LOG_DIR.
running() { live_pid "$1" >/dev/null; }
start() {
  local name="$1"; shift
  if running "$name"; then log "$name already running (pid $(live_pid "$name"))"; return 0; fi
  setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 < /dev/null &
  save_pid "$name" $!
}
wait_for() { # wait_for SECONDS description cmd...
  local t="$1" what="$2" i; shift 2
  for ((i = 0; i < t * 4; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  die "timed out after ${t}s waiting for $what"
}
kc() { "$KUBECTL" --kubeconfig "$KUBECONFIG_ADMIN" "$@"; }
# put FILE < content: replaces FILE only when the content differs (kube-proxy exits when its
# config file changes, so an idempotent re-run must not touch an unchanged file)
put() {
  local tmp; tmp="$(mktemp "$1.XXXXXX")"
  cat > "$tmp"
  if [[ -f "$1" ]] && cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}

# ---------------------------------------------------------------------------------------------
host_setup() {
  mkdir -p "$CLUSTER_DIR" "$RUN_DIR" "$LOG_DIR" "$PKI"
  # the node's address: an interface of this host (pods reach the API server and node
  # services here; nothing leaves the machine)
  # (a veth pair: this kernel has no dummy device type)
  if ! ip link show "$NODE_IF" >/dev/null 2>&1; then
    ip link add "$NODE_IF" type veth peer name "${NODE_IF}p"
    ip link set "${NODE_IF}p" up
  fi
  ip addr replace "$NODE_IP/32" dev "$NODE_IF"
  ip link set "$NODE_IF" up
  # the pod bridge, made now so its gateway address exists before the first pod
  if ! ip link show "$CNI_BRIDGE" >/dev/null 2>&1; then
    ip link add "$CNI_BRIDGE" type bridge
  fi
  ip addr replace "$POD_GATEWAY/24" dev "$CNI_BRIDGE"
  ip link set "$CNI_BRIDGE" up
  [[ -d /proc/sys/net/bridge ]] || modprobe br_netfilter 2>/dev/null || true
  sysctl -qw net.ipv4.ip_forward=1
  [[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]] && sysctl -qw net.bridge.bridge-nf-call-iptables=1
  # pods talk among themselves (also through Service IPs, which are DNATed before FORWARD)
  # and to this node (INPUT); anything forwarded between the pod network and any other
  # network is dropped, so nothing leaves the machine. Docker's FORWARD policy is DROP, hence
  # the explicit accept. Our own chain, removed by down.sh.
  iptables -N TODO-CLUSTER-FORWARD 2>/dev/null || iptables -F TODO-CLUSTER-FORWARD
  iptables -A TODO-CLUSTER-FORWARD -s "$POD_CIDR" -d "$POD_CIDR" -j ACCEPT
  iptables -A TODO-CLUSTER-FORWARD -s "$POD_CIDR" -j DROP
  iptables -A TODO-CLUSTER-FORWARD -d "$POD_CIDR" -j DROP
  iptables -C FORWARD -j TODO-CLUSTER-FORWARD 2>/dev/null || iptables -I FORWARD 1 -j TODO-CLUSTER-FORWARD
  # the kubelet wants its root dir on a shared mount (mount propagation for volumes)
  mkdir -p "$CLUSTER_DIR/kubelet"
  if ! findmnt -n "$CLUSTER_DIR/kubelet" >/dev/null; then
    mount --bind "$CLUSTER_DIR/kubelet" "$CLUSTER_DIR/kubelet"
    mount --make-rshared "$CLUSTER_DIR/kubelet"
  fi
}

# ---------------------------------------------------------------------------------------------
# PKI: one CA signs everything. etcd listens on loopback only, plain HTTP.
cert() { # cert NAME CN O SANS(comma list or empty) [server|client|both]
  local name="$1" cn="$2" o="$3" sans="$4" usage="${5:-client}" ext
  [[ -f "$PKI/$name.crt" ]] && return 0
  case "$usage" in
    server) ext="extendedKeyUsage=serverAuth" ;;
    client) ext="extendedKeyUsage=clientAuth" ;;
    both) ext="extendedKeyUsage=serverAuth,clientAuth" ;;
  esac
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "$ext"
    [[ -n "$sans" ]] && echo "subjectAltName=$sans"
  } > "$PKI/$name.ext"
  openssl genrsa -out "$PKI/$name.key" 2048 2>/dev/null
  openssl req -new -key "$PKI/$name.key" -subj "/CN=$cn${o:+/O=$o}" -out "$PKI/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$PKI/$name.ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}
kubeconfig() { # kubeconfig NAME CERTNAME SERVER
  local f="$CLUSTER_DIR/$1.kubeconfig"
  [[ -f "$f" ]] && return 0
  cat > "$f" <<KC
apiVersion: v1
kind: Config
clusters:
- name: todo-cluster
  cluster:
    server: $3
    certificate-authority-data: $(base64 -w0 "$PKI/ca.crt")
users:
- name: $1
  user:
    client-certificate-data: $(base64 -w0 "$PKI/$2.crt")
    client-key-data: $(base64 -w0 "$PKI/$2.key")
contexts:
- name: todo-cluster
  context: {cluster: todo-cluster, user: $1, namespace: default}
current-context: todo-cluster
KC
  chmod 600 "$f"
}
pki() {
  umask 077
  if [[ ! -f "$PKI/ca.crt" ]]; then
    openssl genrsa -out "$PKI/ca.key" 2048 2>/dev/null
    openssl req -x509 -new -key "$PKI/ca.key" -subj "/CN=todo-cluster-ca" -days 3650 -sha256 \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
      -out "$PKI/ca.crt" 2>/dev/null
  fi
  [[ -f "$PKI/sa.key" ]] || { openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null; openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null; }
  cert apiserver kube-apiserver "" "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:$SERVICE_IP,IP:$NODE_IP" server
  cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters "" client
  cert admin kubernetes-admin system:masters "" client
  cert controller-manager system:kube-controller-manager "" "" client
  cert scheduler system:kube-scheduler "" "" client
  cert kube-proxy system:kube-proxy "" "" client
  cert kubelet-client "system:node:$NODE_NAME" system:nodes "" client
  cert kubelet "$NODE_NAME" "" "DNS:$NODE_NAME,DNS:localhost,IP:$NODE_IP,IP:127.0.0.1" server
  cert coredns coredns "" "" client
  umask 022
  local local_api="https://127.0.0.1:$API_PORT"
  kubeconfig admin admin "$local_api"
  kubeconfig controller-manager controller-manager "$local_api"
  kubeconfig scheduler scheduler "$local_api"
  kubeconfig kube-proxy kube-proxy "$local_api"
  kubeconfig kubelet kubelet-client "$local_api"
  kubeconfig coredns coredns "$local_api"
}

# ---------------------------------------------------------------------------------------------
start_etcd() {
  start etcd /usr/bin/etcd --name todo-etcd --data-dir "$CLUSTER_DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-cluster "todo-etcd=http://127.0.0.1:$((ETCD_PORT + 1))" \
    --listen-metrics-urls "" --quota-backend-bytes 2147483648 --snapshot-count 10000 \
    --unsafe-no-fsync=true
}
wait_etcd() { wait_for 30 etcd curl -fsS "http://127.0.0.1:$ETCD_PORT/health"; }

# ---------------------------------------------------------------------------------------------
containerd_config() {
  mkdir -p "$CLUSTER_DIR/containerd" "$CLUSTER_DIR/cni/net.d" "$RUN_DIR/containerd"
  put "$CLUSTER_DIR/containerd/config.toml" <<TOML
# containerd for the todo test cluster; separate from Docker's own containerd.
version = 2
root = "$CLUSTER_DIR/containerd/root"
state = "$RUN_DIR/containerd/state"
# This machine withholds CAP_SYS_RESOURCE, so no process may lower its oom_score_adj: containerd
# keeps 0 and clamps what the kubelet asks for (-998 for sandboxes, -997 for Guaranteed pods)
# to at least its own score (restrict_oom_score_adj), or runc fails with "can't get final
# child's PID from pipe: EOF" (nsexec: failed to update /proc/self/oom_score_adj).
oom_score = 0
[grpc]
  address = "$CONTAINERD_ADDRESS"
[ttrpc]
  address = "$RUN_DIR/containerd/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$CLUSTER_DIR/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  restrict_oom_score_adj = true
  enable_unprivileged_ports = true
  enable_unprivileged_icmp = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        BinaryName = "/usr/sbin/runc"
        Root = "$RUN_DIR/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CLUSTER_DIR/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = ""
TOML
  put "$CLUSTER_DIR/cni/net.d/10-todo-bridge.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "todo-pods",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$CNI_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$POD_CIDR", "gateway": "$POD_GATEWAY" }]],
        "routes": [{ "dst": "0.0.0.0/0" }],
        "dataDir": "$CLUSTER_DIR/cni/ipam"
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } },
    { "type": "loopback" }
  ]
}
JSON
}
start_containerd() {
  containerd_config
  start containerd /usr/bin/containerd --config "$CLUSTER_DIR/containerd/config.toml"
}
ctrk() { ctr --address "$CONTAINERD_ADDRESS" -n k8s.io "$@"; }
wait_containerd() { wait_for 30 containerd ctr --address "$CONTAINERD_ADDRESS" version; }
import_pause() {
  ctrk images ls -q | grep -qx "$PAUSE_IMAGE" && return 0
  ctrk images import --no-unpack=false "$BIN_DIR/pause.tar" >/dev/null 2>&1 || ctrk images import "$BIN_DIR/pause.tar" >/dev/null
  ctrk images ls -q | grep -qx "$PAUSE_IMAGE" || die "pause image $PAUSE_IMAGE not found after import"
}

# ---------------------------------------------------------------------------------------------
start_apiserver() {
  start kube-apiserver "$BIN_DIR/kube-apiserver" \
    --advertise-address="$NODE_IP" --bind-address=0.0.0.0 --secure-port="$API_PORT" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --service-cluster-ip-range="$SERVICE_CIDR" --service-node-port-range=30000-32767 \
    --client-ca-file="$PKI/ca.crt" --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority="$PKI/ca.crt" --kubelet-preferred-address-types=InternalIP \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
    --allow-privileged=true --profiling=false --event-ttl=1h \
    --requestheader-client-ca-file="$PKI/ca.crt" --requestheader-allowed-names=front-proxy-client \
    --requestheader-username-headers=X-Remote-User --requestheader-group-headers=X-Remote-Group \
    --requestheader-extra-headers-prefix=X-Remote-Extra- \
    --v=1
}
wait_apiserver() { wait_for 90 "kube-apiserver /readyz" curl -fsS --cacert "$PKI/ca.crt" "https://127.0.0.1:$API_PORT/readyz"; }

start_controllers() {
  start kube-controller-manager "$BIN_DIR/kube-controller-manager" \
    --kubeconfig="$CLUSTER_DIR/controller-manager.kubeconfig" \
    --authentication-kubeconfig="$CLUSTER_DIR/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$CLUSTER_DIR/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false \
    --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --use-service-account-credentials=true --controllers='*,bootstrapsigner,tokencleaner' \
    --service-cluster-ip-range="$SERVICE_CIDR" --cluster-name=todo-cluster --v=1
  start kube-scheduler "$BIN_DIR/kube-scheduler" \
    --kubeconfig="$CLUSTER_DIR/scheduler.kubeconfig" \
    --authentication-kubeconfig="$CLUSTER_DIR/scheduler.kubeconfig" \
    --authorization-kubeconfig="$CLUSTER_DIR/scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --v=1
}

start_kubelet() {
  mkdir -p "$CLUSTER_DIR/kubelet" "$CLUSTER_DIR/manifests"
  put "$CLUSTER_DIR/kubelet-config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
healthzBindAddress: 127.0.0.1
healthzPort: 10248
readOnlyPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $PKI/kubelet.crt
tlsPrivateKeyFile: $PKI/kubelet.key
containerRuntimeEndpoint: unix://$CONTAINERD_ADDRESS
# this machine runs cgroup v1 without systemd as PID 1
cgroupDriver: cgroupfs
failCgroupV1: false
cgroupsPerQOS: true
failSwapOn: false
protectKernelDefaults: false
clusterDomain: cluster.local
clusterDNS: [$DNS_IP]
resolvConf: $CLUSTER_DIR/resolv.conf
staticPodPath: $CLUSTER_DIR/manifests
serializeImagePulls: false
maxPods: 110
# images are imported, never pulled: the kubelet must never garbage-collect them
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
imageMinimumGCAge: 87600h
# a shared CI disk: only evict when truly out of space
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%", nodefs.inodesFree: "1%"}
evictionPressureTransitionPeriod: 30s
nodeStatusUpdateFrequency: 5s
syncFrequency: 10s
fileCheckFrequency: 5s
shutdownGracePeriod: 0s
YAML
  # pods with dnsPolicy Default get no upstream resolver: nothing may leave this machine
  echo "nameserver 127.0.0.1" | put "$CLUSTER_DIR/resolv.conf"
  start kubelet "$BIN_DIR/kubelet" \
    --config="$CLUSTER_DIR/kubelet-config.yaml" --kubeconfig="$CLUSTER_DIR/kubelet.kubeconfig" \
    --root-dir="$CLUSTER_DIR/kubelet" --cert-dir="$CLUSTER_DIR/kubelet/pki" \
    --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" --v=1
}

start_kube_proxy() {
  put "$CLUSTER_DIR/kube-proxy-config.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $CLUSTER_DIR/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
mode: iptables
clusterCIDR: $POD_CIDR
# NodePorts answer on loopback and the node address only
nodePortAddresses: ["127.0.0.0/8", "$NODE_IP/32"]
oomScoreAdj: 0  # no CAP_SYS_RESOURCE here (see containerd config)
iptables: {localhostNodePorts: true, masqueradeAll: false, syncPeriod: 10s, minSyncPeriod: 0s}
# leave the host's conntrack sysctls alone
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
YAML
  start kube-proxy "$BIN_DIR/kube-proxy" --config="$CLUSTER_DIR/kube-proxy-config.yaml" --v=1
}

fresh_ready() { # the node is Ready and its kubelet reported so at or after $1
  local hb st
  hb="$(kc get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].lastHeartbeatTime}')"
  st="$(kc get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')"
  [[ "$st" == True && ! "$hb" < "$1" ]]
}
wait_node() {
  wait_for 90 "kubelet healthz" curl -fsS http://127.0.0.1:10248/healthz
  wait_for 90 "node $NODE_NAME registered" kc get node "$NODE_NAME"
  # a restarted cluster still has the last run's Ready condition: wait for a fresh heartbeat
  local since; since="$(date -u -d "@$UP_STARTED" +%Y-%m-%dT%H:%M:%SZ)"
  wait_for 90 "a fresh Ready status from the kubelet" fresh_ready "$since"
  kc wait --for=condition=Ready "node/$NODE_NAME" --timeout=90s >/dev/null
}

addons() {
  sed -e "s|@DNS_IP@|$DNS_IP|g" -e "s|@NODE_IP@|$NODE_IP|g" -e "s|@STORAGE_DIR@|$CLUSTER_DIR/storage|g" -e "s|@NODE_NAME@|$NODE_NAME|g" \
    "$HERE/addons.yaml" | kc apply --server-side --force-conflicts -f - >/dev/null
}

# CoreDNS runs as a host process (no registry to pull its image from, and this keeps the
# image set minimal); it serves cluster.local on the Service IP's endpoint (the node address).
start_coredns() {
  put "$CLUSTER_DIR/Corefile" <<CF
cluster.local:5353 in-addr.arpa:5353 ip6.arpa:5353 {
    bind $NODE_IP
    errors
    health 127.0.0.1:18080
    ready 127.0.0.1:18181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $CLUSTER_DIR/coredns.kubeconfig todo-cluster
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 5
    }
    cache 5
    loadbalance
}
.:5353 {
    bind $NODE_IP
    errors
    # nothing outside the cluster is resolvable: this machine sends no DNS traffic out
    template ANY ANY {
        rcode NXDOMAIN
    }
}
CF
  start coredns "$BIN_DIR/coredns" -conf "$CLUSTER_DIR/Corefile"
}

start_provisioner() {
  mkdir -p "$CLUSTER_DIR/storage"
  start provisioner env KUBECONFIG="$KUBECONFIG_ADMIN" KUBECTL="$KUBECTL" STORAGE_DIR="$CLUSTER_DIR/storage" \
    NODE_NAME="$NODE_NAME" "$HERE/provisioner.sh"
}
wait_dns() {
  wait_for 30 "CoreDNS ready" curl -fsS http://127.0.0.1:18181/ready
  wait_for 30 "kubernetes.default via CoreDNS" sh -c "dig +short +time=1 +tries=1 @$NODE_IP -p 5353 kubernetes.default.svc.cluster.local | grep -qx $SERVICE_IP"
}

print_env() {
  cat <<ENV
# cluster is up ($K8S_VERSION, node $NODE_NAME)
export KUBECONFIG=$KUBECONFIG_ADMIN
export CLUSTER=current IMAGE_LOADER=containerd CONTAINERD_ADDRESS=$CONTAINERD_ADDRESS
ENV
}

main() {
  local t0; t0=$(date +%s)
  UP_STARTED=$t0
  on_fail_report
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  step "install Debian packages" install_packages
  step "build or reuse binaries" "$HERE/build.sh"
  KUBECTL="$(command -v kubectl || true)"
  [[ -n "$KUBECTL" ]] || die "kubectl not found on PATH (source /opt/todo-chatbot-tools/env.sh, or install kubectl 1.33-1.35)"
  step "host network and mounts" host_setup
  step "certificates and kubeconfigs" pki
  step "start etcd" start_etcd
  step "start containerd" start_containerd
  step "wait etcd" wait_etcd
  step "start kube-apiserver" start_apiserver
  step "wait containerd" wait_containerd
  step "import pause image" import_pause
  step "wait kube-apiserver" wait_apiserver
  step "start controller-manager, scheduler" start_controllers
  step "start kubelet" start_kubelet
  step "start kube-proxy" start_kube_proxy
  step "apply addons (DNS, storage, RBAC)" addons
  step "start coredns" start_coredns
  step "start hostpath provisioner" start_provisioner
  step "wait node Ready" wait_node
  step "wait DNS" wait_dns
  log "cluster up in $(($(date +%s) - t0))s"
  print_env
}
[[ "${BASH_SOURCE[0]}" == "$0" ]] && { main "$@"; exit $?; }
