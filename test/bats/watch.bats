#!/usr/bin/env bats
# `pnpm deploy:watch` against the stubs: rounds triggered by editing files in the scratch
# repository; the turbo stand-in (stubs/turbo) tags each app by the content of its src/.

load helpers

setup() {
  setup_pipeline
  setup_watch_repo
}

teardown() {
  if [ -n "${WATCHER:-}" ] && kill -0 "$WATCHER" 2>/dev/null; then kill -TERM "$WATCHER" 2>/dev/null || true; fi
}

OUT() { echo "$BATS_TEST_TMPDIR/out"; }

# start_watch [options…]: in the background (own process group, as in a terminal), until the
# first deploy is done
start_watch() {
  setsid node "$SCRIPTS/watch.mjs" "$@" >"$(OUT)" 2>&1 &
  WATCHER=$!
  wait_for_line '── watching for changes|── logs of'
}

# wait_for_line <regex> [<count>]: until the output has <count> (default 1) matching lines, 30 s at most
wait_for_line() {
  local want=${2:-1}
  for _ in $(seq 1 300); do
    [ "$(grep -cE -- "$1" "$(OUT)" 2>/dev/null)" -ge "$want" ] && return 0
    sleep 0.1
  done
  echo "timed out waiting for $want line(s) matching /$1/:"; cat "$(OUT)"; return 1
}

revision_of() { (revision=0; [ -f "$STUB_STATE/releases/$1" ] && . "$STUB_STATE/releases/$1"; echo "$revision"); }

stop_watch() {
  kill -INT -- "-$WATCHER"
  status=0
  wait "$WATCHER" || status=$?
  [ "$status" -eq 130 ]
}

@test "deploys once; a save rebuilds and rolls out only that app; saves close together make one round; a README edit rolls out nothing" {
  start_watch --no-logs
  run calls_matching 'helm upgrade'
  assert_equal "${#lines[@]}" 3
  reset_calls
  # two saves 0.1 s apart: one round
  echo '// one' >>"$TODO_REPO_ROOT/apps/backend/src/index.ts"
  sleep 0.1
  echo '// two' >>"$TODO_REPO_ROOT/apps/backend/src/index.ts"
  wait_for_line '✓ round 1: todo-backend serving [0-9.]+s after the save \(build [0-9.]+s, image load [0-9.]+s, rollout [0-9.]+s\)'
  run cat "$(OUT)"
  assert_output --partial '── round 1: apps/backend/src/index.ts'
  assert_output --regexp 'rebuilt: backend [0-9a-f]{12} → [0-9a-f]{12}'
  assert_output --partial 'hint: IMAGE_LOADER=minikube moves whole images'
  assert_output --regexp 'plan: todo-backend upgrade \(image tag [0-9a-f]{12} → [0-9a-f]{12}\); unchanged: todo-postgres, todo-frontend'
  run calls_matching 'helm upgrade|image load'
  assert_equal "${#lines[@]}" 2
  assert_line --index 0 --partial 'image load todo-backend:'
  assert_line --index 1 --partial 'helm upgrade --install todo-backend'
  [ "$(revision_of todo-backend)" -eq 2 ]
  [ "$(revision_of todo-frontend)" -eq 1 ]
  # a README edit: a round that rolls out nothing; a touch (same content): no round at all
  reset_calls
  echo 'more words' >>"$TODO_REPO_ROOT/apps/frontend/README.md"
  wait_for_line '✓ round 2: nothing rolled out, no image or release changed'
  touch "$TODO_REPO_ROOT/apps/frontend/README.md" "$TODO_REPO_ROOT/apps/backend/src/index.ts"
  sleep 1.5
  run grep -c '── round' "$(OUT)"
  assert_output 2
  run calls_matching 'helm upgrade|image load'
  assert_output ''
  stop_watch
  run cat "$(OUT)"
  assert_output --partial 'stopped watching; the cluster keeps running the last release of every chart'
  # nothing it started outlives it
  sleep 0.5
  run pgrep -g "$WATCHER"
  assert_failure
}

@test "a compile error fails the round in plain words and deploys nothing; the fix deploys" {
  start_watch --no-logs
  reset_calls
  echo 'SYNTAX ERROR' >>"$TODO_REPO_ROOT/apps/backend/src/index.ts"
  wait_for_line '✗ round 1 failed'
  run cat "$(OUT)"
  assert_output --partial 'round 1 failed: backend#image did not build (its errors are above). Nothing was deployed'
  assert_output --partial 'Expected ";" but found "ERROR"'
  run calls_matching 'helm upgrade|image load'
  assert_output ''
  [ "$(revision_of todo-backend)" -eq 1 ]
  sed -i '/SYNTAX ERROR/d' "$TODO_REPO_ROOT/apps/backend/src/index.ts"
  echo '// fixed' >>"$TODO_REPO_ROOT/apps/backend/src/index.ts"
  wait_for_line '✓ round 2: todo-backend serving'
  [ "$(revision_of todo-backend)" -eq 2 ]
  stop_watch
}

@test "a failed rollout: Helm rolls back, the last good release keeps serving, the next save tries again" {
  start_watch --no-logs
  echo '^upgrade --install todo-backend' >"$STUB_STATE/fail-helm"
  echo '// breaks the rollout' >>"$TODO_REPO_ROOT/apps/backend/src/index.ts"
  wait_for_line '✗ round 1 failed'
  run cat "$(OUT)"
  assert_output --partial 'Helm rolled the release back, the previous version keeps running'
  assert_output --partial 'round 1 failed: the upgrade of todo-backend failed (the reason is above); Helm rolled it back: revision 1 keeps serving. Save a fix to try again.'
  refute_output --partial 'todo-frontend (not installed)'
  [ "$(revision_of todo-backend)" -eq 1 ]
  rm "$STUB_STATE/fail-helm"
  echo '// works again' >>"$TODO_REPO_ROOT/apps/backend/src/index.ts"
  wait_for_line '✓ round 2: todo-backend serving'
  [ "$(revision_of todo-backend)" -eq 2 ]
  stop_watch
}

@test "a save during a round makes the next round" {
  export STUB_TURBO_SLEEP=1.5
  start_watch --no-logs
  reset_calls
  echo '// first' >>"$TODO_REPO_ROOT/apps/backend/src/index.ts"
  wait_for_line '── round 1'
  # once the round's build has read its inputs (as turbo hashes them before it runs a task)
  for _ in $(seq 1 300); do grep -q 'turbo: inputs read' "$STUB_STATE/calls.log" && break; sleep 0.1; done
  echo '// during the build' >>"$TODO_REPO_ROOT/apps/frontend/src/index.ts"
  wait_for_line '✓ round 2: todo-frontend serving'
  run cat "$(OUT)"
  assert_output --partial '── round 1: apps/backend/src/index.ts'
  assert_output --partial '── round 2: apps/frontend/src/index.ts'
  # the hint about the registry loader: once per session, not every round
  run grep -c 'hint: IMAGE_LOADER=minikube moves whole images' "$(OUT)"
  assert_output 1
  stop_watch
}

@test "between rounds, the logs of the release the round changed follow" {
  mkdir -p "$STUB_STATE/logs"
  pod='{"metadata":{"name":"todo-backend-7f00000aa-bbbbb","uid":"u2"},"spec":{"containers":[{"name":"backend"}]},"status":{"containerStatuses":[{"name":"backend","containerID":"c2","restartCount":0,"state":{"running":{}}}]}}'
  printf 'server listening on 8000\n' >"$STUB_STATE/logs/todo-backend-7f00000aa-bbbbb.backend"
  start_watch
  echo "{\"items\":[$pod]}" >"$STUB_STATE/pods.json"
  echo "{\"type\":\"ADDED\",\"object\":$pod}" >"$STUB_STATE/pod-events"
  echo '// change' >>"$TODO_REPO_ROOT/apps/backend/src/index.ts"
  wait_for_line '── logs of todo-backend \('
  # the follower started after the round shows the pod's lines since the round began
  wait_for_line 'backend-bbbbb │ server listening on 8000' 2
  run calls_matching ' logs todo-backend'
  assert_output --partial '--since-time='
  echo 'a later line' >>"$STUB_STATE/logs/todo-backend-7f00000aa-bbbbb.backend"
  wait_for_line 'backend-bbbbb │ a later line'
  stop_watch
}

@test "Ctrl-C during a rollout: helm stops, the frame says how to repair, the next run repairs" {
  # built and installed, so that the watch's first deploy has nothing to do
  "$TODO_REPO_ROOT/node_modules/.bin/turbo" run image chart:deps >/dev/null
  run deploy_chain
  assert_success
  STUB_HELM_UPGRADE_SLEEP=60 setsid node "$SCRIPTS/watch.mjs" --no-logs >"$(OUT)" 2>&1 &
  WATCHER=$!
  wait_for_line '── watching for changes'
  echo '// slow rollout' >>"$TODO_REPO_ROOT/apps/backend/src/index.ts"
  for _ in $(seq 1 300); do grep -q 'waiting for todo-backend' "$STUB_STATE/calls.log" && break; sleep 0.1; done
  grep -q 'waiting for todo-backend' "$STUB_STATE/calls.log"
  kill -INT -- "-$WATCHER"
  status=0
  wait "$WATCHER" || status=$?
  [ "$status" -eq 130 ]
  run cat "$(OUT)"
  assert_output --partial 'interrupted (SIGINT). The next run repairs anything left half-done'
  grep -q 'status=pending-upgrade' "$STUB_STATE/releases/todo-backend"
  unset STUB_HELM_UPGRADE_SLEEP
  run node "$SCRIPTS/deploy.mjs" todo-backend
  assert_success
  assert_output --partial 'repair todo-backend: a previous run was interrupted (pending-upgrade)'
}
