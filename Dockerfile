# 中小企业服务载体认定管理平台 — one image for web (gunicorn), worker and beat.
# Static files are collected at build time and served by whitenoise (already in
# MIDDLEWARE); uploads live in PRIVATE_MEDIA_ROOT, a volume, never served by URL.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    PORTAL_VAR_DIR=/var/lib/portal \
    PRIVATE_MEDIA_ROOT=/var/lib/portal/private

# Pango for WeasyPrint (申请表 PDF) and a CJK font so Chinese text is not boxes.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

RUN groupadd --system --gid 1000 portal \
    && useradd --system --uid 1000 --gid portal --create-home --home-dir /home/portal \
       --shell /usr/sbin/nologin portal

COPY . .

# collectstatic with the production settings (whitenoise's compressed manifest
# storage). The SECRET_KEY here exists only for this build step; the running
# containers get theirs from the environment. The code and the collected static
# files stay owned by root (read-only for the app); only the var directory and
# the private uploads belong to the portal user.
RUN SECRET_KEY=build-time-dummy-key-not-used-at-runtime python manage.py collectstatic --noinput -v0 \
    && rm -rf "$PORTAL_VAR_DIR/celery-broker" "$PORTAL_VAR_DIR/cache" "$PORTAL_VAR_DIR"/*.sqlite3* \
    && chown portal:portal "$PORTAL_VAR_DIR" \
    && install -d -o portal -g portal -m 0750 "$PRIVATE_MEDIA_ROOT" \
    && chmod 0755 /app/docker/entrypoint.sh

USER portal
EXPOSE 8000

ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", \
     "--access-logfile", "-", "--no-control-socket"]
