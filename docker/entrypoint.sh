#!/bin/sh
# Container entrypoint: wait for the database, then (web role only) apply
# migrations and load the reference data, then run the given command.
# The role comes from PORTAL_ROLE (web, worker, beat); without it, a command
# starting with gunicorn is the web role.
set -eu

role=${PORTAL_ROLE:-}
if [ -z "$role" ]; then
  case "${1:-}" in
    gunicorn) role=web ;;
    *) role=other ;;
  esac
fi

# Wait until Django can open a connection to DATABASE_URL (DB_WAIT_SECONDS, default 60).
python - <<'PY'
import os
import sys
import time

import django

django.setup()
from django.db import connection
from django.db.utils import OperationalError

deadline = time.monotonic() + float(os.environ.get("DB_WAIT_SECONDS", "60"))
while True:
    try:
        connection.ensure_connection()
        break
    except OperationalError as error:
        if time.monotonic() > deadline:
            print(f"数据库在规定时间内未就绪：{error}", file=sys.stderr)
            sys.exit(1)
        print("等待数据库就绪……", file=sys.stderr)
        time.sleep(2)
connection.close()
PY

if [ "$role" = web ]; then
  python manage.py migrate --noinput
  python manage.py load_reference_data
fi

exec "$@"
