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

@test "none driver: the runtime from .env, and the volume data the driver leaves on the host goes" {
  printf 'MINIKUBE_DRIVER=none\nMINIKUBE_CONTAINER_RUNTIME=containerd\n' >"$TODO_REPO_ROOT/.env"
  run node "$SCRIPTS/reset.mjs" --dry-run
  assert_success
  run grep -E '^\[dry-run\] \$ (minikube (delete|start)|pnpm|(sudo )?rm )' <<<"$output"
  assert_line --index 0 '[dry-run] $ minikube delete -p minikube'
  assert_line --index 1 --regexp '^\[dry-run\] \$ (sudo )?rm -rf /tmp/hostpath-provisioner$'
  assert_line --index 2 '[dry-run] $ minikube start -p minikube --cpus 2 --memory 4096mb --driver none --container-runtime containerd'
  assert_line --index 3 '[dry-run] $ pnpm turbo run deploy'
}

@test "IMAGE_LOADER=registry on loopback: minikube start lets the node pull from it over HTTP" {
  printf 'MINIKUBE_DRIVER=none\nMINIKUBE_CONTAINER_RUNTIME=containerd\nIMAGE_LOADER=registry\nIMAGE_REGISTRY=localhost:5000\n' >"$TODO_REPO_ROOT/.env"
  run node "$SCRIPTS/reset.mjs" --dry-run
  assert_success
  assert_output --partial '$ minikube start -p minikube --cpus 2 --memory 4096mb --driver none --container-runtime containerd --insecure-registry localhost:5000'
}

@test "a registry that is not on loopback is never marked insecure" {
  printf 'IMAGE_LOADER=registry\nIMAGE_REGISTRY=registry.example.com/team\n' >"$TODO_REPO_ROOT/.env"
  run node "$SCRIPTS/reset.mjs" --dry-run
  assert_success
  assert_output --partial '$ minikube start -p minikube'
  refute_output --partial 'insecure-registry'
}

@test "other drivers keep their volumes inside the node: nothing is removed on the host" {
  printf 'MINIKUBE_DRIVER=docker\n' >"$TODO_REPO_ROOT/.env"
  run node "$SCRIPTS/reset.mjs" --dry-run
  assert_success
  refute_output --partial 'hostpath-provisioner'
}

@test "defaults to 2 CPUs and 4 GiB" {
  run node "$SCRIPTS/reset.mjs" --dry-run
  assert_success
  assert_output --partial 'minikube start -p minikube --cpus 2 --memory 4096mb'
}

@test "reset --yes: delete → start → deploy → waits for the app through its NodePort → total time" {
  ln -sf "$REPO/test/bats/stubs/stub" "$BATS_TEST_TMPDIR/bin/pnpm"
  # the app: answers /api/healthz on a free loopback port, which the stub kubectl reports as NodePort
  node -e '
    const s = require("http").createServer((q, r) => { r.statusCode = q.url === "/api/healthz" ? 200 : 404; r.end("ok"); });
    s.listen(0, "127.0.0.1", () => require("fs").writeFileSync(process.argv[1], String(s.address().port)));
    setTimeout(() => process.exit(0), 60000);
  ' "$BATS_TEST_TMPDIR/port" &
  server=$!
  for _ in $(seq 1 200); do [ -s "$BATS_TEST_TMPDIR/port" ] && break; sleep 0.1; done
  export STUB_NODE_PORT=$(cat "$BATS_TEST_TMPDIR/port")
  run node "$SCRIPTS/reset.mjs" --yes
  kill "$server" 2>/dev/null || true
  assert_success
  assert_output --regexp "reset done in [0-9.]+s: the app answers at http://127.0.0.1:$STUB_NODE_PORT"
  run calls_matching '^(minikube (delete|start)|pnpm)'
  assert_line --index 0 'minikube delete -p minikube'
  assert_line --index 1 'minikube start -p minikube --cpus 2 --memory 4096mb'
  assert_line --index 2 'pnpm turbo run deploy'
}

@test "with a terminal, reset asks and does nothing unless the answer is yes" {
  command -v script >/dev/null || skip "script(1) not available"
  run bash -c "printf 'n\n' | script -qec 'node $SCRIPTS/reset.mjs' /dev/null"
  assert_output --partial 'Delete Minikube profile "minikube" with everything in it, then rebuild it? [y/N]'
  assert_output --partial 'reset: cancelled, nothing was touched'
  run calls_matching 'minikube (delete|start)'
  assert_output ''
}
