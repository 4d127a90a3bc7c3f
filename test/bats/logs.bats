#!/usr/bin/env bats
# `pnpm logs`: every pod of a release with a short prefix, followed across a rollout and a restart
# (stub kubectl: watch events from $STUB_STATE/pod-events, each container's output from
# $STUB_STATE/logs/<pod>.<container>, which the tests append to while the command runs).

load helpers

setup() {
  setup_pipeline
  mkdir -p "$STUB_STATE/logs"
}

teardown() {
  # the follower this test started, if it is still running
  if [ -n "${FOLLOWER:-}" ] && kill -0 "$FOLLOWER" 2>/dev/null; then kill -TERM "$FOLLOWER" 2>/dev/null || true; fi
}

# pod_json <pod> <container id> <restarts> [<previous container id>]: a Running backend pod
pod_json() {
  local prev=''
  [ -n "${4:-}" ] && prev=",\"lastState\":{\"terminated\":{\"containerID\":\"$4\",\"exitCode\":1}}"
  printf '{"metadata":{"name":"%s","uid":"uid-%s","labels":{"app.kubernetes.io/instance":"todo-backend"}},"spec":{"containers":[{"name":"backend"}]},"status":{"phase":"Running","containerStatuses":[{"name":"backend","containerID":"%s","restartCount":%s,"state":{"running":{"startedAt":"2026-11-30T12:00:00Z"}}%s}]}}' \
    "$1" "$1" "$2" "$3" "$prev"
}
event() { printf '{"type":"%s","object":%s}\n' "$1" "$2" >>"$STUB_STATE/pod-events"; }

# wait_for <file> <text>: up to 15 s
wait_for() {
  for _ in $(seq 1 150); do grep -qF -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for \"$2\" in $1:"; cat "$1"; return 1
}

@test "follows every pod with a short prefix: the last lines of a running pod, a new pod of a rollout from its first line, a restarted container" {
  echo "{\"items\":[$(pod_json todo-backend-6d5f8c7b9-aaaaa c1 0)]}" >"$STUB_STATE/pods.json"
  printf 'old 1\nold 2\nold 3\n' >"$STUB_STATE/logs/todo-backend-6d5f8c7b9-aaaaa.backend"
  event ADDED "$(pod_json todo-backend-6d5f8c7b9-aaaaa c1 0)"
  node "$SCRIPTS/logs.mjs" backend --tail 2 >"$BATS_TEST_TMPDIR/out" 2>&1 &
  FOLLOWER=$!
  wait_for "$BATS_TEST_TMPDIR/out" 'backend-aaaaa │ old 3'
  echo 'a line written now' >>"$STUB_STATE/logs/todo-backend-6d5f8c7b9-aaaaa.backend"
  wait_for "$BATS_TEST_TMPDIR/out" 'backend-aaaaa │ a line written now'
  # a rollout: a new pod appears; everything it writes is shown, from its first line
  printf 'starting\nlistening on 8000\n' >"$STUB_STATE/logs/todo-backend-7f00000aa-bbbbb.backend"
  event ADDED "$(pod_json todo-backend-7f00000aa-bbbbb c2 0)"
  wait_for "$BATS_TEST_TMPDIR/out" 'backend-bbbbb │ listening on 8000'
  # the new pod's container crashes and restarts: the crash and the new instance both show
  echo 'Error: out of memory' >>"$STUB_STATE/logs/todo-backend-7f00000aa-bbbbb.backend"
  touch "$STUB_STATE/logs/todo-backend-7f00000aa-bbbbb.backend.exit"
  wait_for "$BATS_TEST_TMPDIR/out" 'backend-bbbbb │ Error: out of memory'
  for _ in $(seq 1 50); do [ ! -e "$STUB_STATE/logs/todo-backend-7f00000aa-bbbbb.backend.exit" ] && break; sleep 0.1; done
  printf 'started again\n' >"$STUB_STATE/logs/todo-backend-7f00000aa-bbbbb.backend"
  event MODIFIED "$(pod_json todo-backend-7f00000aa-bbbbb c3 1 c2)"
  wait_for "$BATS_TEST_TMPDIR/out" 'backend-bbbbb │ started again'
  kill -INT "$FOLLOWER"
  status=0
  wait "$FOLLOWER" || status=$?
  [ "$status" -eq 130 ]
  run cat "$BATS_TEST_TMPDIR/out"
  refute_output --partial 'old 1'
  assert_output --partial 'stopped following the logs; nothing in the cluster changed'
  # every line once
  [ "$(grep -c 'listening on 8000' "$BATS_TEST_TMPDIR/out")" -eq 1 ]
  [ "$(grep -c 'started again' "$BATS_TEST_TMPDIR/out")" -eq 1 ]
  run calls_matching ' logs '
  assert_line --index 0 --partial 'logs todo-backend-6d5f8c7b9-aaaaa --container backend --follow --tail=2'
  assert_line --index 1 --regexp 'logs todo-backend-7f00000aa-bbbbb --container backend --follow$'
  assert_line --index 2 --regexp 'logs todo-backend-7f00000aa-bbbbb --container backend --follow$'
  run calls_matching 'get pods'
  assert_output --partial "--selector app.kubernetes.io/instance in (todo-backend),app.kubernetes.io/component!=test --watch --output-watch-events --output json"
  # no follower outlives the command
  sleep 0.5
  run pgrep -f "$STUB_STATE/pod-events"
  assert_failure
}

@test "a crash that happened between two events is read once with --previous" {
  echo '{"items":[]}' >"$STUB_STATE/pods.json"
  node "$SCRIPTS/logs.mjs" backend >"$BATS_TEST_TMPDIR/out" 2>&1 &
  FOLLOWER=$!
  sleep 1
  printf 'fatal: cannot connect to the database\n' >"$STUB_STATE/logs/todo-backend-7f00000aa-ccccc.backend.previous"
  printf 'retrying\n' >"$STUB_STATE/logs/todo-backend-7f00000aa-ccccc.backend"
  event ADDED "$(pod_json todo-backend-7f00000aa-ccccc c5 1 c4)"
  wait_for "$BATS_TEST_TMPDIR/out" 'backend-ccccc (previous) │ fatal: cannot connect to the database'
  wait_for "$BATS_TEST_TMPDIR/out" 'backend-ccccc │ retrying'
  kill -INT "$FOLLOWER"
  wait "$FOLLOWER" || true
}

@test "--previous prints the crashed container's output of each restarted pod, and exits" {
  echo "{\"items\":[$(pod_json todo-backend-6d5f8c7b9-aaaaa c2 1 c1),$(pod_json todo-backend-6d5f8c7b9-ddddd c9 0)]}" >"$STUB_STATE/pods.json"
  printf 'Error: BETTER_AUTH_SECRET is required\n' >"$STUB_STATE/logs/todo-backend-6d5f8c7b9-aaaaa.backend.previous"
  run node "$SCRIPTS/logs.mjs" backend --previous
  assert_success
  assert_output --partial 'backend-aaaaa (previous) │ Error: BETTER_AUTH_SECRET is required'
  refute_output --partial 'ddddd'
  echo "{\"items\":[$(pod_json todo-backend-6d5f8c7b9-ddddd c9 0)]}" >"$STUB_STATE/pods.json"
  run node "$SCRIPTS/logs.mjs" backend --previous
  assert_success
  assert_output --partial 'no container of todo-backend has restarted'
}

@test "--no-follow prints the last lines of every running container and exits" {
  echo "{\"items\":[$(pod_json todo-backend-6d5f8c7b9-aaaaa c1 0)]}" >"$STUB_STATE/pods.json"
  printf 'one\ntwo\nthree\n' >"$STUB_STATE/logs/todo-backend-6d5f8c7b9-aaaaa.backend"
  run node "$SCRIPTS/logs.mjs" todo-backend --no-follow --tail 2
  assert_success
  assert_output --partial 'backend-aaaaa │ two'
  assert_output --partial 'backend-aaaaa │ three'
  refute_output --partial 'one'
}

@test "all releases by default; an unknown release or a bad --tail is a usage error" {
  echo '{"items":[]}' >"$STUB_STATE/pods.json"
  run node "$SCRIPTS/logs.mjs" --no-follow
  assert_success
  run calls_matching 'get pods'
  assert_output --partial 'app.kubernetes.io/instance in (todo-postgres,todo-backend,todo-frontend)'
  run node "$SCRIPTS/logs.mjs" nothing
  assert_failure 2
  run node "$SCRIPTS/logs.mjs" backend --tail many
  assert_failure 2
}
