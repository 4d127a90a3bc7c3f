#!/usr/bin/env bats
# doctor: one line per check, one actionable line per problem, non-zero on a blocker.

load helpers

setup() { setup_pipeline; }

@test "all prerequisites present: exit 0 with a line per check" {
  run node "$SCRIPTS/doctor.mjs"
  assert_success
  assert_output --partial '✓ docker daemon 27.5.1'
  assert_output --partial '✓ helm v3.18.0'
  assert_output --partial '✓ kubectl 1.33.0'
  assert_output --partial '✓ minikube 1.37.0'
  assert_output --partial 'minikube "minikube" running (docker, 2 CPUs, 4096 MiB)'
  assert_output --regexp '✓ [0-9.]+ GiB free in '
  assert_output --partial 'doctor: ready to deploy'
}

@test "missing helm and kubectl: one actionable line each, exit 3" {
  remove_stub helm
  remove_stub kubectl
  run node "$SCRIPTS/doctor.mjs"
  assert_failure 3
  assert_output --partial '✗ helm is not installed: see https://helm.sh/docs/intro/install/'
  assert_output --partial '✗ kubectl is not installed: https://kubernetes.io/docs/tasks/tools/'
  assert_output --partial 'problem(s) block the deploy'
}

@test "a Docker engine older than 20.10 is a blocker with the version it needs" {
  export STUB_DOCKER_VERSION=19.03.15
  run node "$SCRIPTS/doctor.mjs"
  assert_failure 3
  assert_output --partial '✗ Docker 19.03.15 is too old: the image builds need 20.10.0+'
}

@test "Docker daemon down: says how to start it" {
  export STUB_FAIL_DOCKER='^version'
  run node "$SCRIPTS/doctor.mjs"
  assert_failure 3
  assert_output --partial '✗ the Docker daemon is not running'
  assert_output --partial 'start Docker Desktop'
}

@test "Minikube missing: install link" {
  remove_stub minikube
  run node "$SCRIPTS/doctor.mjs"
  assert_failure 3
  assert_output --partial '✗ minikube is not installed: https://minikube.sigs.k8s.io/docs/start/'
}

@test "Minikube stopped: tells how to start it with the configured resources" {
  export STUB_MINIKUBE_STATUS=Stopped
  run node "$SCRIPTS/doctor.mjs"
  assert_failure 3
  assert_output --partial 'Minikube profile "minikube" is Stopped: run `minikube start -p minikube --cpus 2 --memory 4096`'
}

@test "a node whose disk is full (minikube's InsufficientStorage): says so, and how to free space" {
  export STUB_MINIKUBE_STATUS=InsufficientStorage STUB_MINIKUBE_DRIVER=none
  run node "$SCRIPTS/doctor.mjs"
  assert_failure 3
  assert_output --partial "the node's disk (/var) is full"
  assert_output --partial 'the none driver'"'"'s node is this machine: `df -h /var`'
  export STUB_MINIKUBE_DRIVER=docker
  run node "$SCRIPTS/doctor.mjs"
  assert_failure 3
  assert_output --partial '`minikube -p minikube ssh -- sudo crictl rmi --prune` removes unused images'
}

@test "a paused Minikube: minikube unpause" {
  export STUB_MINIKUBE_STATUS=Paused
  run node "$SCRIPTS/doctor.mjs"
  assert_failure 3
  assert_output --partial 'Minikube profile "minikube" is paused: run `minikube unpause -p minikube`'
}

@test "too old Helm is a blocker" {
  export STUB_HELM_VERSION=v3.12.3
  run node "$SCRIPTS/doctor.mjs"
  assert_failure 3
  assert_output --partial 'Helm v3.12.3 is too old'
}

@test "too small a Minikube is a warning with the fix, not a blocker" {
  export STUB_MINIKUBE_CPUS=1 STUB_MINIKUBE_MEMORY=2048
  run node "$SCRIPTS/doctor.mjs"
  assert_success
  assert_output --partial 'Minikube has 1 CPU(s), the stack needs 2: set MINIKUBE_CPUS=2'
  assert_output --partial 'Minikube has 2048 MiB, the stack needs 4 GiB'
}

@test "unreachable cluster is a blocker" {
  export STUB_FAIL_KUBECTL='get nodes'
  run node "$SCRIPTS/doctor.mjs"
  assert_failure 3
  assert_output --partial 'cannot reach the cluster through context "minikube"'
}

@test "CLUSTER=kind checks kind instead of minikube" {
  export CLUSTER=kind
  remove_stub minikube
  run node "$SCRIPTS/doctor.mjs"
  assert_success
  assert_output --partial '✓ kind 0.30.0'
  refute_output --partial 'minikube'
}

@test "--dry-run runs nothing" {
  run node "$SCRIPTS/doctor.mjs" --dry-run
  assert_success
  run calls
  assert_output ''
}
