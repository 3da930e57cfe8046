# The production image: gunicorn for web, the same image for the Celery worker and beat.
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-liberation curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /app e4e

WORKDIR /app
COPY requirements.lock .
RUN pip install --require-hashes --no-deps -r requirements.lock
COPY --chown=e4e:e4e . .
RUN DEBUG=true SECRET_KEY=build-only python manage.py collectstatic --no-input \
    && mkdir -p /app/private-media && chown e4e:e4e /app/private-media

USER e4e
EXPOSE 8000
# The access log names each request's path only: query strings hold what staff search for
# (a name, a date of birth), and referrers the search page's query string.
CMD ["gunicorn", "e4e.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-", "--access-logformat", "%(h)s %(t)s %(m)s %(U)s %(H)s %(s)s %(b)s %(L)s"]
