#!/usr/bin/env bats
# Beyond one machine, against stub tools: a registry that needs credentials (docker login with the
# password on stdin, an image pull Secret from the values file), the PostgreSQL stand-in through
# the registry, released charts from CHART_SOURCE, `pnpm release`, and an external database's CA.
# test/registry runs the same paths against a real registry and the real Helm.

load helpers

REGISTRY_SECRET='Reg1stry-Pa55-qwerty'

setup() {
  setup_pipeline
  export CLUSTER=current KUBE_CONTEXT=ctx IMAGE_LOADER=registry IMAGE_REGISTRY=localhost:5000
  printf 'REGISTRY_USERNAME=ci\nREGISTRY_PASSWORD=%s\n' "$REGISTRY_SECRET" >"$TODO_REPO_ROOT/.env"
}

# real_helm <helm3|helm4>: its path, or skip (fail under CI) when it is not installed
real_helm() {
  local real
  real=$(PATH="/opt/todo-chatbot-tools/bin:$ORIGINAL_PATH" command -v "$1" || true)
  if [ -z "$real" ]; then
    if [ -n "${REQUIRE_HELM:-}" ] || [ "${CI:-}" = true ] || [ "${CI:-}" = 1 ]; then fail "$1 not installed"; fi
    skip "$1 not installed"
  fi
  echo "$real"
}

# app_versions <version>: apps/<app>/package.json as scripts/release.mjs reads them
app_versions() {
  for a in backend frontend; do
    mkdir -p "$TODO_REPO_ROOT/apps/$a"
    echo "{\"name\":\"$a\",\"version\":\"$1\"}" >"$TODO_REPO_ROOT/apps/$a/package.json"
  done
  for c in todo-postgres todo-backend todo-frontend; do
    mkdir -p "$TODO_REPO_ROOT/charts/$c/charts"
    [ -n "$(ls "$TODO_REPO_ROOT/charts/$c/charts/"*.tgz 2>/dev/null)" ] || : >"$TODO_REPO_ROOT/charts/$c/charts/todo-common-0.1.0.tgz"
  done
}

@test "a registry with credentials: docker login reads the password on stdin; the push happens once" {
  run node "$SCRIPTS/load.mjs" backend
  assert_success
  run calls_matching '^docker (login|tag|push)'
  assert_line --index 0 'docker login localhost:5000 --username ci --password-stdin'
  assert_line --index 1 'docker tag todo-backend:aaaaaaaaaaaa localhost:5000/todo-backend:aaaaaaaaaaaa'
  assert_line --index 2 'docker push localhost:5000/todo-backend:aaaaaaaaaaaa'
  reset_calls
  run node "$SCRIPTS/load.mjs" backend
  assert_success
  assert_output --partial 'localhost:5000/todo-backend:aaaaaaaaaaaa already in the registry, not pushed'
  run calls_matching '^docker push'
  assert_output ''
  run grep -rF -- "$REGISTRY_SECRET" "$STUB_STATE/calls.log"
  assert_failure
}

@test "the charts get the registry's credentials as an image pull Secret, from the 0600 values file only" {
  real=$(real_helm helm3)
  export STUB_HELM_TEMPLATE_WITH="$real" POSTGRES_IMAGE=todo-local/postgres:17-trixie
  run deploy_chain
  assert_success
  refute_output --partial "$REGISTRY_SECRET"
  run grep -rF -- "$REGISTRY_SECRET" "$STUB_STATE/calls.log"
  assert_failure
  for c in todo-postgres todo-backend todo-frontend; do
    grep -q '"password":"'"$REGISTRY_SECRET"'"' "$STUB_STATE/values-$c.json"
    grep -q 'type: kubernetes.io/dockerconfigjson' "$STUB_STATE/rendered-$c.yaml"
    grep -q "name: $c-registry" "$STUB_STATE/rendered-$c.yaml"
  done
  run grep -v 'mode=600' "$STUB_STATE/values-files.log"
  assert_output ''
  # the stand-in PostgreSQL image goes through the registry like the app images
  run calls_matching '^docker push'
  assert_output --partial 'docker push localhost:5000/todo-local/postgres:17-trixie'
  grep -q 'image: "localhost:5000/todo-local/postgres:17-trixie"' "$STUB_STATE/rendered-todo-postgres.yaml"
  grep -q 'image: "localhost:5000/todo-backend:aaaaaaaaaaaa"' "$STUB_STATE/rendered-todo-backend.yaml"
}

@test "a second deploy through the registry pushes nothing and upgrades nothing" {
  run redeploy
  assert_success
  run calls_matching '^docker (push|tag)|helm upgrade'
  assert_output ''
}

@test "CHART_SOURCE: the released chart is pulled and installed as released; no image is built into it or loaded" {
  export CHART_SOURCE=oci://localhost:5000/charts CHART_VERSION=0.1.0
  run deploy_chain
  assert_success
  run calls_matching '^helm (pull|registry)'
  assert_line --index 0 'helm registry login localhost:5000 --username ci --password-stdin --plain-http'
  assert_output --regexp 'helm pull oci://localhost:5000/charts/todo-backend --version 0\.1\.0 --untar --untardir [^ ]+ --plain-http'
  # one login, however many charts are pulled side by side
  run calls_matching '^helm registry login'
  assert_equal "${#lines[@]}" 1
  run calls_matching 'helm upgrade --install todo-backend'
  refute_output --partial 'image.repository'
  refute_output --partial "$TODO_REPO_ROOT/charts/todo-backend "
  run calls_matching '^docker (push|tag)|image load'
  assert_output ''
  # unchanged release, unchanged values: the second deploy upgrades nothing
  reset_calls
  run deploy_chain
  assert_success
  run calls_matching 'helm upgrade'
  assert_output ''
}

@test "CHART_SOURCE needs an oci:// repository and a CHART_VERSION; an unreleased version says so" {
  export CHART_SOURCE=https://charts.example.com
  run node "$SCRIPTS/deploy.mjs" todo-backend
  assert_failure 2
  assert_output --partial 'is not an OCI repository'
  export CHART_SOURCE=oci://localhost:5000/charts
  run node "$SCRIPTS/deploy.mjs" todo-backend
  assert_failure 2
  assert_output --partial 'needs CHART_VERSION'
  export CHART_VERSION=9.9.9 STUB_HELM_PULL_MISSING=1
  run node "$SCRIPTS/deploy.mjs" todo-backend
  assert_failure 2
  assert_output --partial 'version 9.9.9 is not in the registry: release it first'
}

@test "pnpm release: each image under its version and its content hash, the charts pushed; plain HTTP only on loopback" {
  app_versions 0.1.0
  export IMAGE_REGISTRY=ghcr.io/acme CHART_SOURCE=oci://ghcr.io/acme/charts
  run node "$SCRIPTS/release.mjs"
  assert_success
  assert_output --partial 'not a git checkout'
  assert_output --partial 'released 0.1.0. Deploy it: CHART_SOURCE=oci://ghcr.io/acme/charts CHART_VERSION=0.1.0 pnpm turbo deploy'
  run calls_matching '^docker (login|push)'
  assert_line --index 0 'docker login ghcr.io --username ci --password-stdin'
  assert_line --index 1 'docker push ghcr.io/acme/todo-backend:aaaaaaaaaaaa'
  assert_line --index 2 'docker push ghcr.io/acme/todo-backend:0.1.0'
  assert_line --index 3 'docker push ghcr.io/acme/todo-frontend:bbbbbbbbbbbb'
  assert_line --index 4 'docker push ghcr.io/acme/todo-frontend:0.1.0'
  run calls_matching '^helm push'
  assert_line --index 0 --regexp 'helm push .*/todo-postgres-0\.1\.0\.tgz oci://ghcr.io/acme/charts$'
  assert_line --index 2 --regexp 'helm push .*/todo-frontend-0\.1\.0\.tgz oci://ghcr.io/acme/charts$'
  run grep -rF -- "$REGISTRY_SECRET" "$STUB_STATE/calls.log"
  assert_failure
  # a version already in the registry is not released again
  run node "$SCRIPTS/release.mjs"
  assert_failure 6
  assert_output --partial 'ghcr.io/acme/todo-backend:0.1.0 is already released: bump the version'
}

@test "pnpm release refuses apps and charts at different versions, and uncommitted changes" {
  app_versions 0.2.0
  export CHART_SOURCE=oci://localhost:5000/charts
  run node "$SCRIPTS/release.mjs"
  assert_failure 3
  assert_output --partial 'do not share one version'
  assert_output --partial 'pnpm version-packages'
  app_versions 0.1.0
  git -C "$TODO_REPO_ROOT" init -q
  run node "$SCRIPTS/release.mjs"
  assert_failure 6
  assert_output --partial 'uncommitted changes would not be in the release'
  run node "$SCRIPTS/release.mjs" --dry-run --allow-dirty
  assert_success
  assert_output --partial '[dry-run] $ helm push'
}

@test "an external database's CA travels from PGSSLROOTCERT in the values file; the chart mounts it" {
  real=$(real_helm helm4)
  export STUB_HELM_TEMPLATE_WITH="$real"
  printf -- '-----BEGIN CERTIFICATE-----\nMIIBthrowaway\n-----END CERTIFICATE-----\n' >"$BATS_TEST_TMPDIR/db-ca.crt"
  printf 'DATABASE_URL=postgres://todo:%s@db.example.internal:5432/todo?sslmode=verify-full\nPGSSLROOTCERT=%s\n' \
    "$TODO_SECRET_DBPW" "$BATS_TEST_TMPDIR/db-ca.crt" >>"$TODO_REPO_ROOT/.env"
  run node "$SCRIPTS/deploy.mjs" todo-backend
  assert_success
  grep -q 'MIIBthrowaway' "$STUB_STATE/values-todo-backend.json"
  run calls_matching 'helm upgrade'
  refute_output --partial 'MIIBthrowaway'
  grep -q 'PGSSLROOTCERT: "/etc/todo-backend/database-ca/ca.crt"' "$STUB_STATE/rendered-todo-backend.yaml"
  grep -q 'name: todo-backend-database-ca' "$STUB_STATE/rendered-todo-backend.yaml"
  # todo-postgres is not installed for an external database
  run node "$SCRIPTS/deploy.mjs" todo-postgres
  assert_success
  assert_output --partial 'todo-postgres not deployed'
}

@test "a CA file path inside DATABASE_URL, or a PGSSLROOTCERT that is no certificate, is refused with the fix" {
  printf 'DATABASE_URL=postgres://todo:pw@db.example/todo?sslmode=verify-full&sslrootcert=/home/me/ca.crt\n' >>"$TODO_REPO_ROOT/.env"
  run node "$SCRIPTS/deploy.mjs" todo-backend
  assert_failure 2
  assert_output --partial 'set PGSSLROOTCERT=<that file> in .env instead'
  sed -i '/^DATABASE_URL/d' "$TODO_REPO_ROOT/.env"
  echo 'not a certificate' >"$BATS_TEST_TMPDIR/key.pem"
  printf 'DATABASE_URL=postgres://todo:pw@db.example/todo?sslmode=verify-full\nPGSSLROOTCERT=%s\n' "$BATS_TEST_TMPDIR/key.pem" >>"$TODO_REPO_ROOT/.env"
  run node "$SCRIPTS/deploy.mjs" todo-backend
  assert_failure 2
  assert_output --partial 'holds no PEM certificate'
}

@test "CHART_VALUES_DIR: your values file per chart (replicas, HPA) goes to helm under the pipeline's; a change to it upgrades" {
  real=$(real_helm helm3)
  export STUB_HELM_TEMPLATE_WITH="$real" CHART_VALUES_DIR="$BATS_TEST_TMPDIR/values"
  mkdir -p "$CHART_VALUES_DIR"
  printf 'replicaCount: 2\nautoscaling:\n  enabled: true\n  minReplicas: 2\n  maxReplicas: 4\n' >"$CHART_VALUES_DIR/todo-backend.yaml"
  run node "$SCRIPTS/deploy.mjs" todo-backend
  assert_success
  run calls_matching 'helm upgrade --install todo-backend'
  assert_output --regexp "--values $CHART_VALUES_DIR/todo-backend.yaml --values [^ ]+values.json"
  grep -q 'kind: HorizontalPodAutoscaler' "$STUB_STATE/rendered-todo-backend.yaml"
  grep -q 'minReplicas: 2' "$STUB_STATE/rendered-todo-backend.yaml"
  reset_calls
  run node "$SCRIPTS/deploy.mjs" todo-backend
  assert_success
  assert_output --partial 'unchanged since revision 1'
  printf 'replicaCount: 3\n' >"$CHART_VALUES_DIR/todo-backend.yaml"
  run node "$SCRIPTS/deploy.mjs" todo-backend
  assert_success
  run calls_matching 'helm upgrade --install todo-backend'
  assert_output --partial 'todo-backend.yaml'
  grep -q 'replicas: 3' "$STUB_STATE/rendered-todo-backend.yaml"
  export CHART_VALUES_DIR="$BATS_TEST_TMPDIR/nowhere"
  run node "$SCRIPTS/deploy.mjs" todo-backend
  assert_failure 2
  assert_output --partial 'is not a folder'
}
