# Shared set-up for the pipeline suites: an isolated repository root (charts copied, image tag
# files written), stub binaries first on PATH, and a state folder that the stubs record into.
load "${BATS_TEST_DIRNAME}/../node_modules/bats-support/load"
load "${BATS_TEST_DIRNAME}/../node_modules/bats-assert/load"

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SCRIPTS="$REPO/scripts"
NODE_DIR="$(dirname "$(command -v node)")"
export TODO_SECRET_OPENAI='sk-test-OPENAI-4f9c2d1e8b7a'
export TODO_SECRET_AUTH='auth-secret-0123456789abcdef0123456789abcdef'
export TODO_SECRET_DBPW='Db-Pa55w0rd-xyzzy'

setup_pipeline() {
  export STUB_STATE="$BATS_TEST_TMPDIR/state"
  export TODO_REPO_ROOT="$BATS_TEST_TMPDIR/repo"
  export TMPDIR="$BATS_TEST_TMPDIR/tmp"
  mkdir -p "$STUB_STATE/releases" "$TODO_REPO_ROOT/charts" "$TMPDIR" "$BATS_TEST_TMPDIR/bin"
  : >"$STUB_STATE/calls.log"
  : >"$STUB_STATE/images"
  for c in todo-postgres todo-backend todo-frontend; do
    mkdir -p "$TODO_REPO_ROOT/charts/$c"
    if [ -f "$REPO/charts/$c/Chart.yaml" ]; then
      (cd "$REPO/charts/$c" && tar --exclude=node_modules -cf - .) | (cd "$TODO_REPO_ROOT/charts/$c" && tar -xf -)
    else
      printf 'apiVersion: v2\nname: %s\nversion: 0.1.0\n' "$c" >"$TODO_REPO_ROOT/charts/$c/Chart.yaml"
    fi
  done
  set_tag backend aaaaaaaaaaaa
  set_tag frontend bbbbbbbbbbbb
  for t in docker minikube kind helm kubectl ctr kubectl-ai; do
    ln -sf "$REPO/test/bats/stubs/stub" "$BATS_TEST_TMPDIR/bin/$t"
  done
  export ORIGINAL_PATH="${ORIGINAL_PATH:-$PATH}"
  export PATH="$BATS_TEST_TMPDIR/bin:$NODE_DIR:/usr/bin:/bin"
  # Nothing from the developer's own environment leaks into the scripts under test.
  unset CLUSTER IMAGE_LOADER MINIKUBE_PROFILE KIND_CLUSTER KUBE_CONTEXT NAMESPACE POSTGRES_IMAGE APP_URL
  unset DATABASE_URL OPENAI_API_KEY BETTER_AUTH_SECRET OPENAI_BASE_URL VERBOSE
  export NO_COLOR=1
}

# set_tag <app> <hash>: what scripts/image.mjs writes after a build
set_tag() {
  mkdir -p "$TODO_REPO_ROOT/apps/$1/.image"
  echo "todo-$1:$2" >"$TODO_REPO_ROOT/apps/$1/.image/tag"
}

# remove_stub <tool>: the tool behaves as not installed (a real one may sit in /usr/bin, so the
# stub is replaced by what a shell does for an unknown command rather than deleted).
remove_stub() {
  rm -f "$BATS_TEST_TMPDIR/bin/$1"
  printf '#!/bin/sh\necho "bash: line 1: %s: command not found" >&2\nexit 127\n' "$1" >"$BATS_TEST_TMPDIR/bin/$1"
  chmod +x "$BATS_TEST_TMPDIR/bin/$1"
}

write_secrets_env() {
  cat >"$TODO_REPO_ROOT/.env" <<ENV
OPENAI_API_KEY=$TODO_SECRET_OPENAI
BETTER_AUTH_SECRET=$TODO_SECRET_AUTH
DATABASE_URL=postgres://todo:$TODO_SECRET_DBPW@db.example.internal:5432/todo
ENV
}

# The deploy order as the pipeline reads it from the chart packages (scripts/lib/repo.mjs).
read -r -a DEPLOY_CHARTS <<<"$(node --input-type=module -e "import { chartNames } from '$SCRIPTS/lib/repo.mjs'; console.log(chartNames().join(' '))")"
read -r -a DEPLOY_APPS <<<"$(node --input-type=module -e "import { appNames } from '$SCRIPTS/lib/repo.mjs'; console.log(appNames().join(' '))")"

# What `pnpm turbo deploy` runs once turbo has built the images (the `image` task, turbo-cached,
# owned by scripts/image.mjs): one deploy of every chart in dependency order.
deploy_chain() {
  node "$SCRIPTS/deploy.mjs" "$@"
}

calls() { cat "$STUB_STATE/calls.log"; }
reset_calls() { : >"$STUB_STATE/calls.log"; }
# redeploy: a first full deploy (quiet), then a second one with a fresh call log
redeploy() { deploy_chain >/dev/null 2>&1 || return 1; reset_calls; deploy_chain; }
# calls_matching <regex>
calls_matching() { grep -E "$1" "$STUB_STATE/calls.log" || true; }

# setup_watch_repo: app sources and the turbo stand-in (stubs/turbo) in the scratch repository, so
# watch mode's rounds can be driven by editing files there
setup_watch_repo() {
  for app in backend frontend; do
    mkdir -p "$TODO_REPO_ROOT/apps/$app/src"
    printf 'export const name = "%s";\n' "$app" >"$TODO_REPO_ROOT/apps/$app/src/index.ts"
    printf '# %s\n' "$app" >"$TODO_REPO_ROOT/apps/$app/README.md"
  done
  mkdir -p "$TODO_REPO_ROOT/node_modules/.bin" "$TODO_REPO_ROOT/packages"
  ln -sf "$REPO/test/bats/stubs/turbo" "$TODO_REPO_ROOT/node_modules/.bin/turbo"
}
