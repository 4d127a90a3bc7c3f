#!/usr/bin/env bats
# `deploy.mjs --plan`: the dependency order and what each release would get, read-only, from the
# same decision the deploy acts on.

load helpers

setup() { setup_pipeline; }

# revision of a release in the stub cluster (0: not installed)
revision_of() { (revision=0; [ -f "$STUB_STATE/releases/$1" ] && . "$STUB_STATE/releases/$1"; echo "$revision"); }

# plan_then_deploy: --plan --json, then the deploy; fails unless every release the plan says
# changes got a new revision and every other one kept its revision
plan_then_deploy() {
  node "$SCRIPTS/deploy.mjs" --plan --json >"$BATS_TEST_TMPDIR/plan.json" 2>/dev/null || return 1
  local before=() c i=0
  for c in "${DEPLOY_CHARTS[@]}"; do before+=("$(revision_of "$c")"); done
  node "$SCRIPTS/deploy.mjs" >/dev/null 2>&1 || return 1
  for c in "${DEPLOY_CHARTS[@]}"; do
    action=$(node -e 'const p = require(process.argv[1]); console.log(p.releases.find((r) => r.release === process.argv[2]).action)' "$BATS_TEST_TMPDIR/plan.json" "$c")
    after=$(revision_of "$c")
    case "$action" in
      skip|absent) [ "$after" = "${before[$i]}" ] || { echo "$c: planned $action, revision ${before[$i]} → $after"; return 1; } ;;
      *) [ "$after" -gt "${before[$i]}" ] || { echo "$c: planned $action, revision stayed ${before[$i]}"; return 1; } ;;
    esac
    i=$((i + 1))
  done
}

@test "a plan on an empty cluster: the order, three installs, and nothing but read-only queries ran" {
  run node "$SCRIPTS/deploy.mjs" --plan
  assert_success
  assert_output --partial 'dependency order: todo-postgres → todo-backend → todo-frontend'
  assert_output --regexp 'todo-postgres +install +not installed yet'
  assert_output --regexp 'todo-backend +install +not installed yet \(todo-backend:aaaaaaaaaaaa\)'
  assert_output --partial '3 of 3 release(s) would change'
  # the digest query, then (since no release carries its digest) the list of all releases
  run calls
  assert_equal "${#lines[@]}" 2
  assert_line --index 0 --partial 'helm list'
  assert_line --index 1 --partial 'helm list'
  run ls "$STUB_STATE/releases"
  assert_output ''
}

@test "after a deploy with nothing changed, the plan says skip for every release" {
  run deploy_chain
  assert_success
  run node "$SCRIPTS/deploy.mjs" --plan
  assert_success
  assert_output --regexp 'todo-backend +skip +unchanged since revision 1'
  assert_output --partial 'nothing would change'
}

@test "the plan names the inputs that changed: image tag, values, secret values (not their content), chart version, chart files" {
  run deploy_chain
  assert_success
  set_tag backend cccccccccccc
  printf 'LOG_LEVEL=debug\nBETTER_AUTH_SECRET=%s\n' "$TODO_SECRET_AUTH" >"$TODO_REPO_ROOT/.env"
  sed -i 's/^version: .*/version: 0.9.0/' "$TODO_REPO_ROOT/charts/todo-frontend/Chart.yaml"
  echo '# touched' >>"$TODO_REPO_ROOT/charts/todo-postgres/values.yaml"
  reset_calls
  run node "$SCRIPTS/deploy.mjs" --plan
  assert_success
  assert_output --regexp 'todo-backend +upgrade +revision 1 → 2: image tag aaaaaaaaaaaa → cccccccccccc; values: logLevel; secret values: auth.secret'
  assert_output --regexp 'todo-frontend +upgrade +revision 1 → 2: chart version 0.1.0 → 0.9.0'
  assert_output --regexp 'todo-postgres +upgrade +revision 1 → 2: chart files'
  refute_output --partial "$TODO_SECRET_AUTH"
  run calls_matching 'helm upgrade|image load|helm uninstall|helm rollback'
  assert_output ''
}

@test "--plan --json is the plan alone on stdout" {
  run deploy_chain
  assert_success
  set_tag frontend dddddddddddd
  node "$SCRIPTS/deploy.mjs" --plan --json >"$BATS_TEST_TMPDIR/plan.json" 2>"$BATS_TEST_TMPDIR/err"
  run node -e '
    const p = require(process.argv[1]);
    console.log(p.order.join(" "));
    for (const r of p.releases) console.log(`${r.release} ${r.action} ${r.revision} ${r.changes.join("|")}`);
  ' "$BATS_TEST_TMPDIR/plan.json"
  assert_success
  assert_line --index 0 'todo-postgres todo-backend todo-frontend'
  assert_line --index 1 'todo-postgres skip 1 '
  assert_line --index 3 'todo-frontend upgrade 1 image tag bbbbbbbbbbbb → dddddddddddd'
  run cat "$BATS_TEST_TMPDIR/err"
  assert_output --partial '✓ plan'
  run node "$SCRIPTS/deploy.mjs" --json
  assert_failure 2
}

@test "the deploy after a plan does what the plan said, scenario after scenario" {
  run plan_then_deploy # cold
  assert_success
  run plan_then_deploy # nothing changed
  assert_success
  set_tag backend eeeeeeeeeeee
  run plan_then_deploy
  assert_success
  echo 'LOG_LEVEL=warn' >"$TODO_REPO_ROOT/.env"
  echo '# touched' >>"$TODO_REPO_ROOT/charts/todo-frontend/values.yaml"
  run plan_then_deploy
  assert_success
  printf 'revision=4\nstatus=pending-upgrade\ndigest=old\n' >"$STUB_STATE/releases/todo-postgres"
  run plan_then_deploy
  assert_success
}

@test "an interrupted release is planned as a repair before its upgrade" {
  run deploy_chain
  assert_success
  printf 'revision=3\nstatus=pending-upgrade\ndigest=old\n' >"$STUB_STATE/releases/todo-backend"
  run node "$SCRIPTS/deploy.mjs" --plan
  assert_success
  assert_output --regexp 'todo-backend +repair\+upgrade +revision 3 → 4: a previous run was interrupted \(pending-upgrade\)'
}

@test "an external database: todo-postgres is planned as not deployed" {
  write_secrets_env
  run node "$SCRIPTS/deploy.mjs" --plan
  assert_success
  assert_output --regexp 'todo-postgres +absent +not deployed: DATABASE_URL points the backend at an external PostgreSQL'
  refute_output --partial "$TODO_SECRET_DBPW"
}

@test "--force plans an upgrade of unchanged releases; naming charts plans only those" {
  run deploy_chain
  assert_success
  run node "$SCRIPTS/deploy.mjs" todo-backend --plan --force
  assert_success
  assert_output --partial 'dependency order: todo-backend'
  assert_output --regexp 'todo-backend +upgrade +revision 1 → 2: forced \(--force\)'
  refute_output --partial 'todo-frontend'
  run node "$SCRIPTS/deploy.mjs" todo-nothing --plan
  assert_failure 2
}

@test "releases that cannot be read: the plan fails with doctor's explanation" {
  export STUB_FAIL_HELM='^list' STUB_FAIL_KUBECTL='get nodes'
  run node "$SCRIPTS/deploy.mjs" --plan
  assert_failure 4
  assert_output --partial 'cannot read the releases'
  assert_output --partial 'doctor:'
}

@test "Helm 4: the same plan, and the deploy after it does what it said" {
  export STUB_HELM_VERSION=v4.1.4
  run plan_then_deploy
  assert_success
  set_tag backend ffffffffffff
  run node "$SCRIPTS/deploy.mjs" --plan
  assert_success
  assert_output --regexp 'todo-backend +upgrade +revision 1 → 2: image tag aaaaaaaaaaaa → ffffffffffff'
  run plan_then_deploy
  assert_success
}
