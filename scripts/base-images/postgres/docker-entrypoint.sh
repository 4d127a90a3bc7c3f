#!/bin/bash
# Entrypoint of the registry-less PostgreSQL stand-in (todo-local/postgres), modelled on the
# official image's: on an empty PGDATA it runs initdb with POSTGRES_USER / POSTGRES_PASSWORD,
# creates POSTGRES_DB, runs /docker-entrypoint-initdb.d/*.sql|*.sh, then starts the server.
# Differences: it runs as the non-root `postgres` user (uid 999) by default (when started as
# root it prepares PGDATA and drops to uid 999 with setpriv), and it stays PID 1 to turn SIGTERM
# (what Kubernetes sends) into PostgreSQL's fast shutdown (SIGINT) instead of the "smart"
# shutdown that waits for every client to disconnect.
set -Eeuo pipefail

log() { printf '%s [entrypoint] %s\n' "$(date -u +'%Y-%m-%d %H:%M:%S UTC')" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# file_env VAR: allow VAR_FILE (Docker/Kubernetes secret files) as an alternative to VAR
file_env() {
	local var="$1" fileVar="${1}_FILE" def="${2:-}"
	if [ -n "${!var:-}" ] && [ -n "${!fileVar:-}" ]; then die "both $var and $fileVar are set (they are exclusive)"; fi
	local val="$def"
	if [ -n "${!var:-}" ]; then val="${!var}"; elif [ -n "${!fileVar:-}" ]; then val="$(<"${!fileVar}")"; fi
	export "$var"="$val"
	unset "$fileVar"
}

# `docker run image -c foo=bar` → postgres -c foo=bar
if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi

if [ "$1" != 'postgres' ]; then exec "$@"; fi

export PGDATA="${PGDATA:-/var/lib/postgresql/data}"

if [ "$(id -u)" = '0' ]; then
	mkdir -p "$PGDATA" /var/run/postgresql
	chown postgres:postgres "$PGDATA" /var/run/postgresql
	chmod 0700 "$PGDATA"
	exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

file_env POSTGRES_PASSWORD
file_env POSTGRES_USER postgres
file_env POSTGRES_DB "$POSTGRES_USER"
file_env POSTGRES_INITDB_ARGS
: "${POSTGRES_HOST_AUTH_METHOD:=}"

# the port, as given to this container (`postgres -p 5433` or `-c port=5433`), for the
# temporary server's socket name
port="${PGPORT:-5432}"
args=("$@")
for ((i = 1; i < ${#args[@]}; i++)); do
	case "${args[$i]}" in
	-p) port="${args[$((i + 1))]:-$port}" ;;
	-p*) port="${args[$i]#-p}" ;;
	port=*) port="${args[$i]#port=}" ;;
	esac
done

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != 'trust' ]; then
		die 'the database is uninitialized and POSTGRES_PASSWORD is not set. Set POSTGRES_PASSWORD (or POSTGRES_PASSWORD_FILE) to a non-empty value, or POSTGRES_HOST_AUTH_METHOD=trust to allow all connections without a password (not recommended).'
	fi
	mkdir -p "$PGDATA" 2>/dev/null || die "cannot create PGDATA=$PGDATA as uid $(id -u); mount a folder writable by uid 999 (or point PGDATA at a subfolder of the mount)"
	chmod 0700 "$PGDATA" 2>/dev/null || die "cannot set mode 0700 on PGDATA=$PGDATA (owned by uid $(stat -c %u "$PGDATA"), running as uid $(id -u)); point PGDATA at a subfolder of the mount, e.g. $PGDATA/pgdata"
	if [ -n "$(ls -A "$PGDATA")" ]; then
		die "PGDATA=$PGDATA is not empty and holds no database (no PG_VERSION); empty it or point PGDATA at a subfolder"
	fi

	log "initialising a database cluster in $PGDATA for user \"$POSTGRES_USER\""
	pwfile="$(mktemp)"
	trap 'rm -f "$pwfile"' EXIT
	printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
	# shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is word-split on purpose, as upstream does
	initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
		--auth-local=trust --auth-host=scram-sha-256 $POSTGRES_INITDB_ARGS >/dev/null
	rm -f "$pwfile"
	trap - EXIT

	auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
	{
		printf '\n# added by docker-entrypoint.sh\n'
		printf 'host all all all %s\n' "$auth"
	} >>"$PGDATA/pg_hba.conf"
	sed -ri "s/^#?(listen_addresses)\s*=.*/\1 = '*'/" "$PGDATA/postgresql.conf"

	# a temporary server on the Unix socket only, to create the database and run init scripts
	pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -p $port" start >/dev/null
	export PGPORT="$port" PGUSER="$POSTGRES_USER" PGHOST=/var/run/postgresql
	if [ "$POSTGRES_DB" != 'postgres' ]; then
		psql -v ON_ERROR_STOP=1 --no-psqlrc --dbname postgres --set db="$POSTGRES_DB" -q <<-'EOSQL'
			CREATE DATABASE :"db";
		EOSQL
		log "created database \"$POSTGRES_DB\""
	fi
	for f in /docker-entrypoint-initdb.d/*; do
		case "$f" in
		*.sh) log "running $f"; if [ -x "$f" ]; then "$f"; else . "$f"; fi ;;
		*.sql) log "running $f"; psql -v ON_ERROR_STOP=1 --no-psqlrc --dbname "$POSTGRES_DB" -f "$f" ;;
		*.sql.gz) log "running $f"; gunzip -c "$f" | psql -v ON_ERROR_STOP=1 --no-psqlrc --dbname "$POSTGRES_DB" ;;
		*) ;;
		esac
	done
	pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
	unset PGPORT PGUSER PGHOST
	log 'initialisation complete; starting the server'
fi
unset POSTGRES_PASSWORD

# Stay PID 1: forward SIGTERM/SIGINT as SIGINT (fast shutdown: roll back open transactions,
# disconnect clients, checkpoint) and SIGQUIT as SIGQUIT (immediate shutdown).
"$@" &
pid=$!
trap 'log "shutdown requested: fast shutdown"; kill -INT "$pid" 2>/dev/null || true' TERM INT
trap 'kill -QUIT "$pid" 2>/dev/null || true' QUIT
status=0
while :; do
	if wait "$pid"; then status=0; else status=$?; fi
	kill -0 "$pid" 2>/dev/null || break
done
exit "$status"
