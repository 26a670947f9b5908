# syntax=docker/dockerfile:1

# ---- build: production dependencies only (tsx runs the TypeScript sources; nothing to compile).
# better-sqlite3 builds its native addon here when no prebuilt binary fits, hence the toolchain,
# which stays out of the runtime image. Node 24 is an LTS line that better-sqlite3 12.x supports.
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# ---- runtime
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
# Code and dependencies stay owned by root, so the app user can run them but not change them;
# only DATA_DIR (embedded stores, generated auth secret) is writable.
COPY --from=build /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
VOLUME ["/app/data"]
# The API by default; the projection worker is the same image with `npm run worker`.
CMD ["npm", "start"]
