# Production image: gunicorn behind the platform's proxy, static files served by whitenoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DEBUG=false PORT=8000
WORKDIR /app

COPY pyproject.toml ./
COPY archive ./archive
COPY minutes ./minutes
RUN pip install --no-cache-dir .

COPY manage.py ./
COPY templates ./templates
COPY static ./static
COPY fixtures ./fixtures
# collectstatic needs no database or real secret; hashed names let whitenoise cache for a year.
RUN SECRET_KEY=build-only DEBUG=false python manage.py collectstatic --noinput

RUN useradd --system --home /app archive && chown -R archive /app
USER archive
EXPOSE 8000
# Configure with DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS (and CSRF_TRUSTED_ORIGINS).
CMD ["sh", "-c", "python manage.py migrate --noinput && exec gunicorn archive.wsgi:application --bind 0.0.0.0:${PORT} --worker-class gthread --workers ${WEB_CONCURRENCY:-3} --threads ${WEB_THREADS:-8} --access-logfile -"]
