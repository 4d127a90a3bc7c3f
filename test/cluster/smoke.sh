#!/usr/bin/env bash
# Prove the cluster from up.sh works end to end, with images that never touch a registry:
#  1. a pod from a locally imported image gets Running and Ready
#     (busybox from Debian's busybox-static plus probe/, packed by oci-image.sh; and, when the local Docker
#     engine has it, an image moved over with `docker save | ctr images import`);
#  2. a Service resolves through cluster DNS from another pod, and answers;
#  3. a NodePort answers on 127.0.0.1;
#  4. a PVC of the default StorageClass binds and keeps data across a pod restart.
# Usage: test/cluster/smoke.sh   (cluster must be up; cleans up its namespace at the end)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
. "$HERE/lib.sh"
on_fail_report
NS=todo-smoke
NODEPORT="${SMOKE_NODEPORT:-30080}"
IMG=todo-smoke/probe:1
DOCKER_IMG="${SMOKE_DOCKER_IMAGE:-todo-local/node:24-bookworm-slim}"
export KUBECONFIG="$KUBECONFIG_ADMIN"
ctrk() { ctr --address "$CONTAINERD_ADDRESS" -n k8s.io "$@"; }
k() { kubectl -n "$NS" "$@"; }

image() {
  if [[ ! -f "$CACHE_DIR/smoke.tar" ]]; then
    [[ -x /bin/busybox ]] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq busybox-static >/dev/null
    export PATH="$PATH:/usr/local/go/bin"
    local r src="$CACHE_DIR/src/probe"; r="$(mktemp -d)"
    mkdir -p "$r/bin" "$r/tmp" "$r/etc" "$src"; chmod 1777 "$r/tmp"; cp /bin/busybox "$r/bin/busybox"
    for a in sh cat echo sleep ls mkdir date hostname wc; do ln -s busybox "$r/bin/$a"; done
    cp "$HERE/probe/main.go" "$src/main.go"
    [[ -f "$src/go.mod" ]] || (cd "$src" && go mod init todo.local/probe >/dev/null 2>&1)
    (cd "$src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$r/bin/probe" .)
    echo 'nobody:x:65534:65534:nobody:/:/bin/sh' > "$r/etc/passwd"
    "$HERE/oci-image.sh" "$r" /bin/sh "docker.io/$IMG" "$CACHE_DIR/smoke.tar"
    rm -rf "$r"
  fi
  ctrk images import "$CACHE_DIR/smoke.tar" >/dev/null
  DOCKER_OK=0
  if command -v docker >/dev/null && docker image inspect "$DOCKER_IMG" >/dev/null 2>&1; then
    docker save "$DOCKER_IMG" | ctrk images import - >/dev/null && DOCKER_OK=1
  fi
}

deploy() {
  kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  k apply -f - >/dev/null <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: web
          image: $IMG
          imagePullPolicy: Never
          command: [probe, serve, "8080", hello]
          ports: [{containerPort: 8080}]
          readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080, nodePort: $NODEPORT}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 64Mi}}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: client
      image: $IMG
      imagePullPolicy: Never
      command: [/bin/sh, -c, 'echo "\$(date) \$(cat /data/log 2>/dev/null | wc -l)" >> /data/log; exec sleep 3600']
      volumeMounts: [{name: data, mountPath: /data}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
YAML
  if ((DOCKER_OK)); then
    k apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: from-docker}
spec:
  terminationGracePeriodSeconds: 1
  containers:
    - name: node
      image: $DOCKER_IMG
      imagePullPolicy: Never
      command: [node, -e, 'require("http").createServer((q, s) => s.end("node " + process.version)).listen(8081)']
      readinessProbe: {httpGet: {path: /, port: 8081}, periodSeconds: 1}
YAML
  fi
}

ready() {
  k rollout status deploy/web --timeout=120s
  k wait --for=condition=Ready pod/client --timeout=120s
  ((DOCKER_OK)) && k wait --for=condition=Ready pod/from-docker --timeout=120s
  k get pods -o wide
}
# kube-proxy programs a new Service's rules asynchronously (1-3 s here after the endpoints
# appear), so a request to a fresh Service or NodePort is retried for a bounded time.
retry_for() { # seconds command...
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 1
  done
}
dns() {
  local ip body
  ip="$(k exec client -- probe lookup web.$NS.svc.cluster.local)"
  echo "web.$NS.svc.cluster.local -> $ip"; [[ "$ip" == "$(k get svc web -o jsonpath='{.spec.clusterIP}')" ]]
  body="$(retry_for 30 k exec client -- probe get http://web.$NS/)"
  echo "via service DNS name: $body"; [[ "$body" == hello\ from\ web-* ]]
  ip="$(k exec client -- probe lookup kubernetes.default)"
  echo "kubernetes.default -> $ip"; [[ "$ip" == "$SERVICE_IP" ]]
}
nodeport() {
  local body; body="$(retry_for 30 curl -fsS --max-time 5 "http://127.0.0.1:$NODEPORT/")"
  echo "via NodePort 127.0.0.1:$NODEPORT: $body"; [[ "$body" == hello\ from\ web-* ]]
}
pvc() {
  [[ "$(k get pvc data -o jsonpath='{.status.phase}')" == Bound ]] || { k describe pvc data; return 1; }
  k get pvc data
  k delete pod client --wait=true >/dev/null
  deploy
  k wait --for=condition=Ready pod/client --timeout=120s >/dev/null
  local lines; lines="$(k exec client -- cat /data/log | wc -l)"
  echo "volume kept its data across pod re-creation: $lines lines"; [[ "$lines" -ge 2 ]]
}
cleanup() { kubectl delete namespace "$NS" --wait=true --timeout=120s >/dev/null; }

step "import images" image
step "deploy smoke workloads" deploy
step "pods Running and Ready" ready
step "service via cluster DNS from a pod" dns
step "NodePort on 127.0.0.1" nodeport
step "PVC binds, data survives" pvc
[[ "${KEEP:-0}" == 1 ]] || step "delete namespace" cleanup
log "smoke test passed (docker-imported image: $([[ $DOCKER_OK == 1 ]] && echo yes || echo "skipped: $DOCKER_IMG not in local Docker"))"
