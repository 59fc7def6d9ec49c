#!/usr/bin/env bash
# Runs every whiteglove test against embedded SQLite and PostgreSQL.
# Installs and starts what the tests need on a fresh Debian machine:
# PostgreSQL (when absent or stopped). Safe to run repeatedly.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

command -v go >/dev/null || { echo "Go 1.26 or newer is needed: https://go.dev/dl/" >&2; exit 1; }

# The TPM 2.0 reference simulator is C and links OpenSSL's libcrypto.
if ! command -v gcc >/dev/null || ! printf '#include <openssl/evp.h>\n' | gcc -E - >/dev/null 2>&1; then
  log "installing gcc and libssl-dev (the TPM simulator is C)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc libssl-dev >/dev/null
fi

PGHOST_ADDR=${PGHOST_ADDR:-127.0.0.1}
PGPORT_NUM=${PGPORT_NUM:-5432}
export WHITEGLOVE_TEST_POSTGRES=${WHITEGLOVE_TEST_POSTGRES:-"postgres://postgres@${PGHOST_ADDR}:${PGPORT_NUM}/test?sslmode=disable"}

pg_up() { command -v pg_isready >/dev/null && pg_isready -q -h "$PGHOST_ADDR" -p "$PGPORT_NUM"; }

installed_here=0
if ! pg_up; then
  if ! command -v pg_ctlcluster >/dev/null; then
    log "installing PostgreSQL"
    installed_here=1
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  log "starting PostgreSQL"
  for v in $(ls /etc/postgresql); do
    as_root pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
  done
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "PostgreSQL did not start on ${PGHOST_ADDR}:${PGPORT_NUM}" >&2; exit 1; }
fi

# The test database; on a cluster this script installed itself (and only
# there), trust for local TCP connections so the DSN needs no password.
# On a PostgreSQL you already run, set WHITEGLOVE_TEST_POSTGRES to a DSN
# that works instead: this script never loosens an existing server.
if ! psql "$WHITEGLOVE_TEST_POSTGRES" -Atc 'select 1' >/dev/null 2>&1; then
  log "preparing the PostgreSQL test database"
  if [ "$installed_here" = 1 ]; then
    hba=$(as_root su postgres -c "psql -Atc 'show hba_file'")
    if ! as_root grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
      as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
      as_root su postgres -c "psql -Atc 'select pg_reload_conf()'" >/dev/null
    fi
  fi
  as_root su postgres -c "psql -Atc \"select 1 from pg_database where datname='test'\"" | grep -q 1 ||
    as_root su postgres -c "createdb test"
fi
psql "$WHITEGLOVE_TEST_POSTGRES" -Atc 'select 1' >/dev/null || { echo "cannot reach $WHITEGLOVE_TEST_POSTGRES" >&2; exit 1; }

log "go vet"
go vet ./...
log "go test (SQLite and PostgreSQL at ${PGHOST_ADDR}:${PGPORT_NUM})"
go test -race -count=1 -timeout 20m ./...

# Microsoft's Go SDKs against a running whiteglove (a module of its own).
# The SDKs are huge: the first build on a machine takes ~9 minutes and
# ~12 GB; later runs use the build cache. -p 1 keeps the two SDKs' model
# packages from compiling at the same time.
if [ "${WHITEGLOVE_SKIP_SDK:-0}" != 1 ]; then
  log "msgraph-sdk-go compatibility (compat/msgraphsdk)"
  (cd compat/msgraphsdk && go test -p 1 -count=1 -timeout 25m ./...)
fi
