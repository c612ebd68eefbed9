# syntax=docker/dockerfile:1
# The longrun server as a container: built JavaScript on Node, run as a non-root user.
#   docker build -t longrun .
#   docker run -p 3000:3000 -e LONGRUN_API_KEYS=... -e DATABASE_URL=postgres://... longrun
# Without DATABASE_URL it keeps its SQLite data in /data (mount a volume there).

# --- build: install the workspace with its lockfile, build the packages, and install the packed server
#     with npm and production dependencies only, as a user would (scripts/deploy-server.ts)
FROM node:24-bookworm-slim AS build
WORKDIR /repo
RUN npm install -g pnpm@10
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm build \
 && pnpm deploy:server /out

# --- run: only the installed server, no toolchain, no sources
FROM node:24-bookworm-slim AS run
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LONGRUN_DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=node:node /out /app
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
# Docker's stop signal; the server drains held requests and running handlers before it exits.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "node_modules/@longrun/server/dist/src/main.js"]
