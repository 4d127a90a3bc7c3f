#!/usr/bin/env bats
# reset: destructive, so it refuses unless it is sure.

load helpers

setup() { setup_pipeline; }

@test "refuses a kubectl context that is not the Minikube profile" {
  export STUB_CONTEXT=prod-eu-west
  run node "$SCRIPTS/reset.mjs" --yes
  assert_failure 6
  assert_output --partial 'the current kubectl context is "prod-eu-west", not the Minikube profile "minikube"'
  run calls_matching 'minikube (delete|start)|turbo'
  assert_output ''
}

@test "refuses a context named like the profile that minikube does not know" {
  export STUB_MINIKUBE_STATUS=none
  run node "$SCRIPTS/reset.mjs" --yes
  assert_failure 6
  assert_output --partial 'is not a Minikube profile'
  run calls_matching 'minikube (delete|start)'
  assert_output ''
}

@test "refuses without --yes when there is no terminal" {
  run node "$SCRIPTS/reset.mjs" </dev/null
  assert_failure 6
  assert_output --partial 'there is no terminal to confirm: run it again with --yes'
  run calls_matching 'minikube (delete|start)'
  assert_output ''
}

@test "refuses CLUSTER=kind" {
  export CLUSTER=kind
  run node "$SCRIPTS/reset.mjs" --yes
  assert_failure 6
  assert_output --partial 'reset only recreates Minikube clusters'
}

@test "--dry-run shows delete → start (resources from .env) → deploy, and runs nothing" {
  printf 'MINIKUBE_CPUS=4\nMINIKUBE_MEMORY=6144\nMINIKUBE_DRIVER=docker\n' >"$TODO_REPO_ROOT/.env"
  run node "$SCRIPTS/reset.mjs" --dry-run
  assert_success
  run grep -E '^\[dry-run\] \$ (minikube (delete|start)|pnpm)' <<<"$output"
  assert_line --index 0 '[dry-run] $ minikube delete -p minikube'
  assert_line --index 1 '[dry-run] $ minikube start -p minikube --cpus 4 --memory 6144mb --driver docker'
  assert_line --index 2 '[dry-run] $ pnpm turbo run deploy'
  run calls
  assert_output ''
}

@test "defaults to 2 CPUs and 4 GiB" {
  run node "$SCRIPTS/reset.mjs" --dry-run
  assert_success
  assert_output --partial 'minikube start -p minikube --cpus 2 --memory 4096mb'
}
