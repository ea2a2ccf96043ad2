FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
# Every package of pyproject.toml's [tool.setuptools.packages.find], the templates and the
# compiled translations (tests/test_compose.py runs the services from exactly these paths).
COPY autocollect autocollect
COPY creditors creditors
COPY cases cases
COPY integrations integrations
COPY letters letters
COPY nordic nordic
COPY settlements settlements
COPY collection collection
COPY support support
COPY templates templates
COPY locale locale
COPY manage.py ./
# Static files live in the image, outside the /data volume, where whitenoise serves them from.
# collectstatic reads no secret: dev mode only lets it start; DEBUG off writes what production
# serves (hashed, compressed names and their manifest).
# PYTHONPATH: every process imports the project from /app, where the packages keep their data
# files (vendored htmx, the UBL schemas), which `pip install .` leaves out of site-packages;
# celery puts the working directory on the path only while it imports the app module.
ENV AUTOCOLLECT_STATIC_ROOT=/app/static AUTOCOLLECT_VAR_DIR=/data DJANGO_DEBUG=0 \
    PYTHONPATH=/app PYTHONUNBUFFERED=1 XDG_CACHE_HOME=/tmp/.cache
RUN pip install --no-cache-dir . \
    && AUTOCOLLECT_DEV_MODE=1 AUTOCOLLECT_VAR_DIR=/tmp/build python manage.py collectstatic --noinput \
    && rm -rf /tmp/build \
    && useradd --system --no-create-home app && mkdir -p /data && chown app /data
# Not root; a new named volume mounted on /data takes this owner.
USER app
EXPOSE 8000
CMD ["gunicorn", "autocollect.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
