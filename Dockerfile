# Production image: gunicorn + whitenoise for web; the same image runs worker and beat.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# Chromium renders PDF decks and kaleido's chart images.
RUN apt-get update && apt-get install -y --no-install-recommends chromium curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput
RUN useradd --create-home cxplan && mkdir -p /app/var && chown -R cxplan /app/var
USER cxplan
EXPOSE 8000
CMD ["gunicorn", "cxplan.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
