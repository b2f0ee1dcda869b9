# cortex-web: the single-page app behind nginx, which proxies the API and the sync hub to cortex-api.
# Build context: the repository root. The build stage runs the same commands as the web tests.
FROM node:20-bookworm AS build
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci
COPY web/ ./
RUN npm run build

FROM nginx:1.27-bookworm AS runtime
COPY deploy/docker/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /src/web/dist /usr/share/nginx/html
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=6 CMD curl -fsS http://127.0.0.1:8080/ >/dev/null || exit 1
