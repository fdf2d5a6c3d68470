#!/usr/bin/env bash
# Start a local PostgreSQL for the data-layer tests and print the URL to use.
# Idempotent; installs the server with apt when running as root and it is missing.
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL is not installed. Run: sudo apt-get install postgresql" >&2
    exit 1
  fi
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 0.5
done
su postgres -c "psql -q -tc \"SELECT 1 FROM pg_roles WHERE rolname='frontdesk'\" | grep -q 1 || \
  psql -q -c \"CREATE ROLE frontdesk LOGIN SUPERUSER PASSWORD 'frontdesk'\"" >/dev/null
echo "postgresql+psycopg://frontdesk:frontdesk@127.0.0.1:5432/postgres"
