FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY autocollect autocollect
COPY creditors creditors
COPY cases cases
COPY integrations integrations
COPY letters letters
COPY nordic nordic
COPY settlements settlements
COPY templates templates
COPY manage.py ./
RUN pip install --no-cache-dir . && python manage.py collectstatic --noinput
ENV DJANGO_DEBUG=0
EXPOSE 8000
CMD ["gunicorn", "autocollect.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
