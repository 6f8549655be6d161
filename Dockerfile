# syntax=docker/dockerfile:1
# One image for every role: `indus controller`, `indus agent`, `indus run`, `indus mock-server`.

# --- build: the pinned Bun comes from package.json (npm ci); `npm run build` compiles bin/indus and smoke-tests it
FROM oven/bun:1.4.4 AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json bunfig.toml ./
COPY scripts ./scripts
COPY src ./src
RUN npm run build

# --- runtime: the self-contained executable on a slim glibc base, as an unprivileged user
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 indus \
 && useradd --system --uid 10001 --gid 10001 --create-home --home-dir /home/indus indus \
 && mkdir -p /data \
 && chown indus:indus /data
COPY --from=build /src/bin/indus /usr/local/bin/indus
USER 10001:10001
WORKDIR /home/indus
# the controller's run store
ENV INDUS_DATA_DIR=/data
VOLUME ["/data"]
# controller gRPC, controller metrics, agent gRPC, agent metrics, mock target
EXPOSE 50051 9090 50052 9091 8080
ENTRYPOINT ["indus"]
CMD ["--help"]
