#!/bin/sh
# The runtime role of the web and worker processes: not a superuser, owns nothing, and is
# given its rights on the tables by `manage.py grant_app_role` after each migrate (HD-8).
# Migrations run as the owner role (POSTGRES_USER).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE e4e_app LOGIN PASSWORD '${E4E_APP_DB_PASSWORD:-e4e_app}' NOSUPERUSER NOCREATEDB NOCREATEROLE;
GRANT CONNECT ON DATABASE "$POSTGRES_DB" TO e4e_app;
SQL
