# The safeguarding assistant as a container image: CPU-only torch 2.13.0, the packaged
# model, and the index built into the image at build time (no network needed at run time).
# Build: docker build -t safeguarding-assistant .   Run it with docker-compose.yml.
# (Not built on the development machines, which have no Docker engine; see docs/deployment.md.)

FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml setup.py MANIFEST.in requirements.lock README.md LICENSE ./
COPY assistant ./assistant
COPY web ./web
COPY prompts ./prompts
COPY corpus ./corpus
RUN pip install build && python -m build --wheel --outdir /dist
# requirements.lock pins torch as the local CPU build 2.13.0+cpu, found with --find-links.
RUN pip download --no-deps --dest /opt/wheels \
        --index-url https://download.pytorch.org/whl/cpu "torch==2.13.0+cpu" \
 && python -m venv /opt/assistant \
 && /opt/assistant/bin/pip install --require-hashes -r requirements.lock \
 && /opt/assistant/bin/pip install --no-deps /dist/safeguarding_assistant-*.whl

FROM python:3.11-slim-bookworm
ENV PATH=/opt/assistant/bin:$PATH \
    ASSISTANT_DATA_DIR=/var/lib/assistant \
    ASSISTANT_HOST=0.0.0.0 \
    ASSISTANT_PORT=8000 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    ANONYMIZED_TELEMETRY=False \
    PYTHONDONTWRITEBYTECODE=1
COPY --from=build /opt/assistant /opt/assistant
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/assistant --create-home assistant
USER assistant
# The index generation (passages, BM25, stored vectors) is built now, into the image; at
# start each app process fills the Chroma server's collection from the stored vectors
# (ASSISTANT_CHROMA__HOST), nothing is embedded again. The build uses embedded Chroma.
# Ingest also exports the embedding model to ONNX (data/model), so serving processes
# never load torch. One question fills the triage exemplar cache (data/triage), so no
# process embeds the exemplar bank while serving.
RUN assistant ingest \
 && ASSISTANT_AUTH__MODE=none ASSISTANT_HOST=127.0.0.1 assistant ask "who do I phone to talk a worry through?" >/dev/null \
 && rm -rf /var/lib/assistant/chroma
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status != 200)"]
CMD ["assistant", "serve"]
