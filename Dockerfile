# Second Chance for Slack: `secondchance run` in a slim image, as a non-root user.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_URL=sqlite:////data/secondchance.db \
    PORT=3000

WORKDIR /app

# Dependencies first, in their own layer, exactly as pinned (with hashes) in the lock file that
# scripts/lock makes from pyproject.toml: rebuilt only when the lock changes.
COPY requirements/lock.txt ./requirements/
RUN pip install --require-hashes -r requirements/lock.txt

COPY pyproject.toml README.md ./
COPY slackapp ./slackapp
COPY models ./models
COPY slacksim ./slacksim
# setup.py compiles the translation catalogs (slackapp/locale) into the installed package.
COPY setup.py babel.cfg ./
RUN pip install --no-deps . \
    && useradd --create-home --uid 10001 secondchance \
    && mkdir -p /data && chown secondchance /data

USER secondchance
# The SQLite default lives here; use PostgreSQL (DATABASE_URL) in production.
VOLUME ["/data"]
EXPOSE 3000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=4)"

CMD ["secondchance", "run"]
