#!/usr/bin/env bash
# Times the ways an image can reach Minikube's runtime, on a running profile (none driver: the node's
# containerd is this host's): `minikube image load <ref>`, `docker save | minikube image load -`,
# `docker save --output <file>` + `minikube image load <file>` (what the pipeline runs: minikube
# never removes the copy of stdin it makes), `docker save | ctr import` (the containerd loader) and
# `docker save` alone.
# Each loads the current backend image with one new layer under a fresh tag, so nothing is cached.
# Usage (root, a running cluster, e.g. after RUN_CLUSTER_TESTS=1 KEEP_CLUSTER=1): test/cluster/bench-loaders.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
PROFILE="${MINIKUBE_PROFILE:-minikube}"
SOCK="${CONTAINERD_ADDRESS:-/run/containerd/containerd.sock}"
base="$(cat apps/backend/.image/tag)"
run_id="$(date +%s)"
echo "base image $base, load average $(cut -d' ' -f1-3 /proc/loadavg)"

tagged=()
for way in named stream file ctr save; do
  ctx="$(mktemp -d)"
  echo "$run_id $way" >"$ctx/stamp"
  printf 'FROM %s\nCOPY stamp /app/bench-stamp\n' "$base" >"$ctx/Dockerfile"
  DOCKER_BUILDKIT=0 docker build --quiet --tag "todo-backend:bench-$way-$run_id" "$ctx" >/dev/null 2>&1
  rm -rf "$ctx"
  tagged+=("todo-backend:bench-$way-$run_id")
done

timed() {
  local label=$1; shift
  local t0; t0=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  printf '%-44s %6.1f s\n' "$label" "$(echo "$(date +%s.%N) - $t0" | bc)"
}
timed "minikube image load <ref>" minikube -p "$PROFILE" image load "todo-backend:bench-named-$run_id"
leaks_before="$(ls "${TMPDIR:-/tmp}"/build.*.tar 2>/dev/null | sort || true)"
timed "docker save | minikube image load -" bash -c "docker save todo-backend:bench-stream-$run_id | minikube -p $PROFILE image load -"
tmp="$(mktemp -d)"
timed "docker save --output f; minikube image load f" bash -c "docker save --output $tmp/todo-backend.tar todo-backend:bench-file-$run_id && minikube -p $PROFILE image load $tmp/todo-backend.tar"
rm -rf "$tmp"
timed "docker save | ctr images import -" bash -c "docker save todo-backend:bench-ctr-$run_id | ctr --address $SOCK --namespace k8s.io images import -"
timed "docker save > /dev/null" bash -c "docker save todo-backend:bench-save-$run_id >/dev/null"

docker rmi "${tagged[@]}" >/dev/null 2>&1 || true
# the stdin way's temp copy, which minikube leaves behind
comm -13 <(echo "$leaks_before") <(ls "${TMPDIR:-/tmp}"/build.*.tar 2>/dev/null | sort || true) | xargs -r rm -f
