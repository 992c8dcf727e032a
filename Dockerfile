# Oversight's image: the web app (`oversight serve`, gunicorn) and the background worker
# (`oversight manage db_worker`) from one image, the command chosen by compose.yaml or the platform.
# Built with the locked dependencies (uv.lock, package-lock.json); see docs/deployment.md.

# The GOV.UK Frontend stylesheet, script and images, compiled from the committed npm lock file.
FROM node:22-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
COPY scripts/build-assets scripts/
COPY oversight/web/assets/ oversight/web/assets/
RUN bash scripts/build-assets

FROM python:3.12-slim-bookworm
# Pango for the PDF downloads (WeasyPrint); the PostgreSQL client for `oversight backup`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 postgresql-client \
    && rm -rf /var/lib/apt/lists/*
ENV UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN pip install --no-cache-dir "uv==0.13.8" \
    && uv sync --frozen --no-dev --no-install-project
COPY oversight/ oversight/
RUN uv sync --frozen --no-dev
COPY --from=assets /src/oversight/web/static/govuk/ oversight/web/static/govuk/
# Static files gathered and compressed once, served by the app itself (whitenoise).
RUN DEBUG=true oversight manage collectstatic --no-input -v 0
RUN useradd --system --uid 10001 --home-dir /app oversight \
    && mkdir -p /app/media /app/var \
    && chown oversight /app/media /app/var
USER oversight
EXPOSE 8000
# `oversight serve` runs `manage check --deploy` first and refuses to start on any finding.
CMD ["oversight", "serve", "--bind", "0.0.0.0:8000"]
