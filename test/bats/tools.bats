#!/usr/bin/env bats
# status, diagnose, k8s:ai, the other image loaders, --help everywhere.

load helpers

setup() { setup_pipeline; }

pod() { # pod <name> <phase> <ready> <containerStatus-json> [conditions-extra]
  printf '{"metadata":{"name":"%s"},"spec":{"containers":[{"image":"todo-backend:aaaaaaaaaaaa"}]},"status":{"phase":"%s","conditions":[{"type":"Ready","status":"%s"}%s],"containerStatuses":[%s]}}' "$1" "$2" "$3" "${5:-}" "$4"
}

@test "every script answers --help without running anything" {
  for s in doctor load deploy reset status diagnose k8s-ai sync-chart-versions; do
    run node "$SCRIPTS/$s.mjs" --help
    assert_success
    assert_output --partial 'Usage:'
    assert_output --partial '--dry-run'
  done
  run calls
  assert_output ''
}

@test "status lists releases, pods and the URL" {
  run deploy_chain
  assert_success
  run node "$SCRIPTS/status.mjs"
  assert_success
  assert_output --partial 'todo-backend'
  assert_output --partial 'deployed'
  assert_output --partial 'app: http://127.0.0.1:30000'
}

@test "status with Helm 4, which has no helm list --all, and a release left pending" {
  export STUB_HELM_VERSION=v4.1.4
  run deploy_chain
  assert_success
  printf 'revision=2\nstatus=pending-upgrade\ndigest=x\n' >"$STUB_STATE/releases/todo-backend"
  run node "$SCRIPTS/status.mjs"
  assert_output --partial 'pending-upgrade'
  refute_output --partial 'unknown flag'
}

@test "status on the Docker driver of macOS points at minikube service --url" {
  run deploy_chain
  export TODO_TEST_PLATFORM=darwin
  run node "$SCRIPTS/status.mjs"
  assert_success
  assert_output --partial 'minikube -p minikube service todo-frontend --namespace todo --url'
}

@test "diagnose: every pod Ready → exit 0" {
  echo "{\"items\":[$(pod todo-backend-1 Running True '{"restartCount":0,"state":{"running":{}}}')]}" >"$STUB_STATE/pods.json"
  run node "$SCRIPTS/diagnose.mjs"
  assert_success
  assert_output --partial 'every pod is Ready'
}

@test "diagnose: a crash for a missing variable, with the log line" {
  echo "{\"items\":[$(pod todo-backend-2 Running False '{"restartCount":3,"state":{"waiting":{"reason":"CrashLoopBackOff"}},"lastState":{"terminated":{"reason":"Error","exitCode":1}}}')]}" >"$STUB_STATE/pods.json"
  printf 'starting\nError: BETTER_AUTH_SECRET is required when NODE_ENV=production\n' >"$STUB_STATE/logs.txt"
  run node "$SCRIPTS/diagnose.mjs"
  assert_failure 7
  assert_output --partial 'crashes at start-up because a variable is missing'
  assert_output --partial 'BETTER_AUTH_SECRET is required'
  run calls_matching 'logs todo-backend-2 .*--previous'
  refute_output ''
}

@test "diagnose: pending for resources" {
  echo "{\"items\":[$(pod todo-backend-3 Pending False '' ',{"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"0/1 nodes are available: 1 Insufficient memory."}')]}" >"$STUB_STATE/pods.json"
  run node "$SCRIPTS/diagnose.mjs"
  assert_failure 7
  assert_output --partial 'pending: not enough free CPU or memory on the node'
  assert_output --partial 'MINIKUBE_MEMORY'
}

@test "diagnose: a failing readiness probe" {
  echo "{\"items\":[$(pod todo-backend-4 Running False '{"restartCount":0,"state":{"running":{}}}')]}" >"$STUB_STATE/pods.json"
  echo '{"items":[{"involvedObject":{"name":"todo-backend-4"},"type":"Warning","reason":"Unhealthy","message":"Readiness probe failed: HTTP probe failed with statuscode: 503"}]}' >"$STUB_STATE/events.json"
  run node "$SCRIPTS/diagnose.mjs"
  assert_failure 7
  assert_output --partial 'running but its health probe fails (Readiness probe failed: HTTP probe failed with statuscode: 503)'
}

@test "k8s:ai without kubectl-ai explains how to install it" {
  remove_stub kubectl-ai
  rm -f "$BATS_TEST_TMPDIR/bin/kubectl-ai"
  run node "$SCRIPTS/k8s-ai.mjs" "why is the backend not ready?"
  assert_failure 3
  assert_output --partial 'kubectl-ai is not installed'
  assert_output --partial 'kubectl krew install ai'
}

@test "k8s:ai runs kubectl-ai with a private kubeconfig on the app's namespace" {
  run node "$SCRIPTS/k8s-ai.mjs" "why is the backend not ready?"
  assert_success
  run calls_matching '^kubectl'
  assert_output --partial 'config view --minify --flatten --context minikube'
  assert_output --regexp 'config set-context --current --namespace todo'
  run calls_matching '^kubectl-ai'
  assert_output --regexp '^kubectl-ai --kubeconfig .*/kubeconfig --quiet why is the backend not ready\?$'
  run ls "$TMPDIR"
  refute_output --partial 'todo-secrets-'
}

@test "CLUSTER=kind loads with kind load docker-image, checking the node's images first" {
  export CLUSTER=kind KIND_CLUSTER=dev
  run node "$SCRIPTS/load.mjs" backend
  assert_success
  run calls_matching '^(kind|docker exec)'
  assert_line --index 0 'kind get nodes --name dev'
  assert_line --index 1 'docker exec dev-control-plane crictl images -o json'
  assert_line --index 2 'kind load docker-image todo-backend:aaaaaaaaaaaa --name dev'
  reset_calls
  run node "$SCRIPTS/load.mjs" backend
  assert_success
  run calls_matching 'kind load'
  assert_output ''
}

@test "IMAGE_LOADER=containerd imports through ctr into k8s.io, only when missing" {
  export CLUSTER=current IMAGE_LOADER=containerd CONTAINERD_ADDRESS=/run/test/containerd.sock
  run node "$SCRIPTS/load.mjs" frontend
  assert_success
  run calls_matching '^(ctr|docker save)'
  assert_line --index 0 'ctr --address /run/test/containerd.sock --namespace k8s.io images ls --quiet'
  # docker save and ctr import run at the same time (a pipe): no order between them
  assert_line 'docker save todo-frontend:bbbbbbbbbbbb'
  assert_line 'ctr --address /run/test/containerd.sock --namespace k8s.io images import -'
  grep -qxF 'todo-frontend:bbbbbbbbbbbb' "$STUB_STATE/images"
  reset_calls
  run node "$SCRIPTS/load.mjs" frontend
  assert_success
  run calls_matching 'images import'
  assert_output ''
}

@test "IMAGE_LOADER=registry pushes to IMAGE_REGISTRY and deploys that reference" {
  export CLUSTER=current IMAGE_LOADER=registry IMAGE_REGISTRY=localhost:5000 STUB_FAIL_DOCKER='^manifest'
  run node "$SCRIPTS/load.mjs" backend
  assert_success
  run calls_matching '^docker (tag|push)'
  assert_line --index 0 'docker tag todo-backend:aaaaaaaaaaaa localhost:5000/todo-backend:aaaaaaaaaaaa'
  assert_line --index 1 'docker push localhost:5000/todo-backend:aaaaaaaaaaaa'
  run node "$SCRIPTS/deploy.mjs" todo-backend
  assert_success
  run calls_matching 'helm upgrade'
  assert_output --partial 'image.repository=localhost:5000/todo-backend'
  assert_output --partial '--kube-context minikube'
}

@test "CLUSTER=current without a current context says what to do" {
  export CLUSTER=current STUB_CONTEXT=
  run node "$SCRIPTS/deploy.mjs" todo-frontend
  assert_failure 3
  assert_output --partial 'kubectl config use-context'
}

@test "sync-chart-versions sets appVersion from the app's package.json" {
  mkdir -p "$TODO_REPO_ROOT/apps/backend" "$TODO_REPO_ROOT/apps/frontend"
  for a in backend frontend; do echo '{"name":"'$a'","version":"1.4.2"}' >"$TODO_REPO_ROOT/apps/$a/package.json"; done
  # the chart packages as they are (their dependencies state the deploy order), at version 0.3.0
  for c in todo-postgres todo-backend todo-frontend; do
    node -e 'const f=process.argv[1],fs=require("fs"),p=JSON.parse(fs.readFileSync(f));p.version="0.3.0";fs.writeFileSync(f,JSON.stringify(p))' "$TODO_REPO_ROOT/charts/$c/package.json"
  done
  run node "$SCRIPTS/sync-chart-versions.mjs"
  assert_success
  grep -q '^appVersion: "1.4.2"' "$TODO_REPO_ROOT/charts/todo-backend/Chart.yaml"
  grep -q '^version: 0.3.0' "$TODO_REPO_ROOT/charts/todo-backend/Chart.yaml"
  run grep -c '^appVersion: "1.4.2"' "$TODO_REPO_ROOT/charts/todo-postgres/Chart.yaml"
  assert_output '0'
}

@test "status --tunnel opens minikube service --url when the driver needs it, and reports its URL" {
  run deploy_chain
  export TODO_TEST_PLATFORM=darwin
  run node "$SCRIPTS/status.mjs" --tunnel
  assert_output --partial 'app: http://127.0.0.1:30000  (tunnel open; Ctrl-C to close)'
  assert_output --partial 'the tunnel closed'
  run calls_matching '^minikube -p minikube service todo-frontend --namespace todo --url'
  refute_output ''
}
