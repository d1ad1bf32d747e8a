# The service image: Node 24 runs the TypeScript sources directly (type stripping); the only build step
# is the legal service centre's application (Vite), done in a stage of its own.
FROM node:24-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY vite.config.ts tsconfig.json ./
COPY src ./src
RUN node node_modules/vite/bin/vite.js build

FROM node:24-slim
WORKDIR /app
# Dependencies first, so a source change does not reinstall them. No scripts: the build ran above.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY . .
COPY --from=web /app/dist/web ./dist/web
RUN mkdir -p /data && chown node:node /data

# Outside the container the defaults keep the service on loopback; inside it must listen on all interfaces.
ENV HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data
USER node
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8080) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "src/main.ts"]
