# 党支部建设数据看板 · container image. The database lives on a volume mounted at /data.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BRANCHBOARD_DB=/data/branchboard.duckdb

WORKDIR /app
# Chromium draws the Word report's charts (kaleido); CJK fonts make their labels readable.
RUN apt-get update && apt-get install -y --no-install-recommends chromium fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py ./
COPY pages ./pages
COPY queries ./queries
COPY branchboard ./branchboard
COPY .streamlit/config.toml ./.streamlit/config.toml

RUN useradd --create-home --uid 10001 branchboard && mkdir -p /data && chown branchboard /data
USER branchboard
VOLUME ["/data"]
EXPOSE 8501
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health')"

# Secrets: mount .streamlit/secrets.toml at /app/.streamlit/secrets.toml, or set BRANCHBOARD_* variables.
# X-Forwarded-For is believed only from BRANCHBOARD_TRUSTED_PROXIES (the reverse proxy's address); none by default.
CMD ["sh", "-c", "FORWARDED_ALLOW_IPS=\"${BRANCHBOARD_TRUSTED_PROXIES:-}\" exec streamlit run app.py --server.port=8501 --server.address=0.0.0.0"]
