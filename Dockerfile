# syntax=docker/dockerfile:1
# Three stages. `build`: the whole workspace with its dev toolchain; compiles gateway/dist.
# `demo`: that same stage run as a non-root user, for the demo backends of docker-compose.yml
# (they are TypeScript run through tsx, a dev dependency). `gateway` (the default target): the
# gateway alone, compiled, production dependencies only, non-root, listening on 0.0.0.0:4000.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY gateway/package.json gateway/package.json
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM build AS demo
ENV NODE_ENV=development
USER node
# docker-compose.yml names the backend to run: subgraphs/serve.ts accounts|reviews|products|inventory|orders
CMD ["node", "--import", "tsx", "subgraphs/serve.ts"]

FROM node:20-bookworm-slim AS gateway
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
COPY gateway/package.json gateway/package.json
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# The compiled package (no src/: the bin then runs dist/ on plain Node).
COPY --from=build /app/gateway/dist gateway/dist
COPY gateway/bin gateway/bin
COPY LICENSE ./
# The demo graph it serves by default: the config, the schema and the backends' contracts the
# schema points at. Your own image replaces these (FROM this one, or mount them over /app).
COPY openclaw.config.ts ./
COPY schema schema
COPY subgraphs/accounts/schema.graphql subgraphs/accounts/
COPY subgraphs/reviews/schema.graphql subgraphs/reviews/
COPY subgraphs/products/openapi.yaml subgraphs/products/
COPY subgraphs/orders/openapi.yaml subgraphs/orders/
COPY subgraphs/inventory/inventory.proto subgraphs/inventory/
# Files the gateway writes (the embedded store) go here, writable by the non-root user.
RUN mkdir .openclaw && chown node:node .openclaw
USER node
ENV OPENCLAW_HOST=0.0.0.0 PORT=4000
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "gateway/bin/openclaw.js", "start"]
