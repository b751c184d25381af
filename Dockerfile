# moe-router as a service. Build: `docker build -t moe-router .`
# Run with PostgreSQL (events, thresholds and corrections shared by every instance):
#   MOE_ROUTER_TOKEN=$(openssl rand -hex 32) docker compose up
# See "Run as a service" in README.md.

FROM node:20-bookworm-slim AS build
# No model runtime is needed by the default cascade; skip onnxruntime's binary download.
ENV ONNXRUNTIME_NODE_INSTALL=skip ONNXRUNTIME_NODE_INSTALL_CUDA=skip CI=true
RUN npm install -g -E pnpm@12.4.2
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile && pnpm build

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# The workspace with its links between packages, built.
COPY --from=build /app /app
# Layers keep their state (learned exemplars, watermarks) under the data directory.
RUN mkdir -p /data && chown node:node /data
WORKDIR /data
USER node
EXPOSE 8700
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8700/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/packages/cli/dist/bin.js"]
# Any address but loopback needs a token: MOE_ROUTER_TOKEN (or --token-file).
CMD ["serve", "--host", "0.0.0.0", "--port", "8700", "--config", "/config/moe-router.yaml"]
