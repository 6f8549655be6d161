# syntax=docker/dockerfile:1
# One image for every role: `indus controller`, `indus agent`, `indus run`, `indus mock-server`.
# Multi-arch without emulation: the build stage runs on the builder's platform and Bun cross-compiles for TARGETARCH.
#   docker buildx build --platform linux/amd64,linux/arm64 --build-arg INDUS_COMMIT=$(git rev-parse --short HEAD) .

# --- build: the pinned Bun comes from package.json (npm ci); scripts/build.ts compiles bin/indus, ahead of time for
# amd64 built on amd64 (npm ci installs the AOT compiler there: scripts/aot.ts), with the JIT for a cross-built arm64
FROM --platform=$BUILDPLATFORM oven/bun:1.4.4 AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json bunfig.toml ./
COPY scripts ./scripts
COPY src ./src
ARG TARGETARCH
ARG BUILDARCH
# the build context has no .git: the commit comes in as a build argument (release.yml passes the tag's)
ARG INDUS_COMMIT=unknown
RUN case "$TARGETARCH" in amd64) arch=x64 ;; arm64) arch=arm64 ;; *) echo "unsupported TARGETARCH $TARGETARCH" >&2; exit 1 ;; esac \
 && if [ "$TARGETARCH" = "$BUILDARCH" ]; then target=""; else target="bun-linux-$arch"; fi \
 && INDUS_COMMIT="$INDUS_COMMIT" bun scripts/build.ts "$target" bin/indus

# --- runtime: the self-contained executable on a slim glibc base, as an unprivileged user
FROM debian:bookworm-slim
ARG INDUS_VERSION=dev
ARG INDUS_COMMIT=unknown
ARG INDUS_CREATED=
LABEL org.opencontainers.image.title="indus" \
      org.opencontainers.image.description="Distributed HTTP load tester: controller, agent and CLI in one binary" \
      org.opencontainers.image.source="https://github.com/indus-dev/indus" \
      org.opencontainers.image.url="https://github.com/indus-dev/indus" \
      org.opencontainers.image.documentation="https://github.com/indus-dev/indus#readme" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${INDUS_VERSION}" \
      org.opencontainers.image.revision="${INDUS_COMMIT}" \
      org.opencontainers.image.created="${INDUS_CREATED}"
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 indus \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/indus indus \
 && mkdir -p /data \
 && chown indus:indus /data
COPY --from=build /src/bin/indus /usr/local/bin/indus
COPY LICENSE README.md /usr/share/doc/indus/
USER 10001:10001
WORKDIR /home/indus
# the controller's run store
ENV INDUS_DATA_DIR=/data
VOLUME ["/data"]
# controller gRPC, controller metrics, agent gRPC, agent metrics, mock target
EXPOSE 50051 9090 50052 9091 8080
# The binary probes its own /readyz (no curl in the image): the agent's :9091 or the controller's :9090 by default;
# set INDUS_HEALTH_ADDR when --metrics-addr moves. Unhealthy when the process stops serving or answers "not ready".
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 CMD ["indus", "health"]
ENTRYPOINT ["indus"]
CMD ["--help"]
