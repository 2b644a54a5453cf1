# syntax=docker/dockerfile:1
# Multi-stage image: build with every dependency, run with production ones only.
# The container applies pending migrations, then serves on $PORT (3000). Several containers may share
# one PostgreSQL: sessions, throttling and jobs live in the database, and migrations take a lock.
# It runs compiled JavaScript only (`npm run build` → build/server, migrations included): no TypeScript,
# no tsx. `npm run worker`, `npm run db:migrate` and `npm run create-admin` work in it too.

FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# npm ci's postinstall applies these patches to node_modules (patch-package; docs/decisions/0031).
COPY patches ./patches
# Exactly the committed lock file (it holds every platform's optional packages).
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build

FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/build ./build
COPY --from=build /app/public ./public
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "--max-semi-space-size=32", "build/server/start.js"]
