#!/bin/sh
# Run once by the postgres image when its data volume is first initialised: the role the
# application runs as. POSTGRES_USER (jmappa) owns the schema and runs the migrations, which
# then grant this role read and write on the application's tables but only INSERT and SELECT
# on the audit trail (manage.py grant_runtime_role). It owns nothing and is no superuser.
set -eu
: "${POSTGRES_APP_PASSWORD:?set POSTGRES_APP_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v app_password="$POSTGRES_APP_PASSWORD" -v database="$POSTGRES_DB" <<'SQL'
CREATE ROLE jmappa_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'app_password';
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"database" TO jmappa_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
