#!/usr/bin/env bats
# `pnpm diagnose` against stub kubectl answering with a recorded backend pod that runs but is not
# Ready (scripts/test/fixtures/backend-not-ready.json: what the real backend logged against a
# TLS-only PostgreSQL): the reason comes out in plain words, with what to do, and exit code 7.

load helpers

setup() {
  setup_pipeline
  FIXTURE="$REPO/scripts/test/fixtures/backend-not-ready.json"
  node -e '
    const fx = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const fs = require("fs"), dir = process.argv[2];
    fs.writeFileSync(dir + "/pods.json", JSON.stringify({ items: [fx.pod] }));
    fs.writeFileSync(dir + "/events.json", JSON.stringify({ items: fx.events }));
    fs.writeFileSync(dir + "/logs-password.txt", fx.logs.password.join("\n") + "\n");
    fs.writeFileSync(dir + "/logs-untrusted.txt", fx.logs.untrusted.join("\n") + "\n");
  ' "$FIXTURE" "$STUB_STATE"
}

@test "a wrong database password: pnpm diagnose says so in plain words" {
  cp "$STUB_STATE/logs-password.txt" "$STUB_STATE/logs.txt"
  run node "$SCRIPTS/diagnose.mjs" todo-backend
  assert_failure 7
  assert_output --regexp 'running, not Ready: the database refused the password for user "todo"'
  assert_output --partial 'correct the user or password in DATABASE_URL'
  refute_output --partial '"level"'
}

@test "an untrusted database certificate: pnpm diagnose names the CA setting" {
  cp "$STUB_STATE/logs-untrusted.txt" "$STUB_STATE/logs.txt"
  run node "$SCRIPTS/diagnose.mjs"
  assert_failure 7
  assert_output --partial "running, not Ready: the database's TLS certificate is not trusted"
  assert_output --partial 'set PGSSLROOTCERT in .env'
}
