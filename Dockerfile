# OnDijon application image: the web (uvicorn), Celery worker, Celery beat and MQTT bridge
# services of docker-compose.yml all run it with different commands.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .

# Compiled catalogues are not kept in the repository; skip quietly while none exist yet.
RUN if find locale -name django.po 2>/dev/null | grep -q .; then \
        pybabel compile --domain django --directory locale --use-fuzzy; \
    fi

# Production settings refuse to load without a secret key and host names: these throwaway
# values exist for this step only and never reach the running containers.
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY=collectstatic-only-placeholder-not-a-secret \
    DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput -v 0

# The code and collected static files stay owned by root (read-only to the service);
# only var/ (uploaded media, notification log, beat schedule) is writable.
RUN useradd --system --user-group --uid 10001 --home-dir /app --no-create-home ondijon \
    && mkdir -p var/media \
    && chown ondijon:ondijon var var/media
USER ondijon

EXPOSE 8000

# No HEALTHCHECK here: the worker and beat containers run this image without a web server;
# docker-compose.yml gives the web service its own check.
CMD ["uvicorn", "ondijon.asgi:application", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", "--workers", "2"]
