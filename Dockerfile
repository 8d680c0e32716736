# Production image: the API serving the built web app, and (same image, other command) the report
# and jobs worker. PostgreSQL comes from DATABASE_URL (docker-compose.yml, docs/DEPLOYING.md); the
# embedded database is for a laptop, not for deployments. With DATABASE_URL, PUBLIC_URL and
# MASTER_KEY are required too.
#
# Three stages: `build` compiles with every dev dependency; `deps` installs production dependencies
# from the manifests alone; the final stage copies named paths out of those two (never a whole
# directory of either), so nothing the build saw — sources, tests, dev tools, anything a host left
# in the context — reaches the image. apps/api/test/deploy/image.e2e-spec.ts reads this file and
# .dockerignore and fails on any other COPY.

# Node 22 LTS: one of the versions package.json's engines and the README name, and one on which npm ci prints no engine warnings.
ARG NODE_IMAGE=node:22-bookworm-slim
# npm 11 applies package.json's allowScripts (only the listed packages run install scripts).
ARG NPM_VERSION=11.19.1

FROM ${NODE_IMAGE} AS build
ARG NPM_VERSION
RUN npm install --global --no-audit --no-fund npm@${NPM_VERSION}
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY libs/contracts/package.json libs/contracts/
COPY libs/scoring-engine/package.json libs/scoring-engine/
COPY libs/question-bank/package.json libs/question-bank/
COPY libs/report-pdf/package.json libs/report-pdf/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY tools/build.mjs tools/lib.mjs tools/
COPY migrations migrations
COPY libs libs
COPY apps apps
RUN npm run build

FROM ${NODE_IMAGE} AS deps
ARG NPM_VERSION
RUN npm install --global --no-audit --no-fund npm@${NPM_VERSION}
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY libs/contracts/package.json libs/contracts/
COPY libs/scoring-engine/package.json libs/scoring-engine/
COPY libs/question-bank/package.json libs/question-bank/
COPY libs/report-pdf/package.json libs/report-pdf/
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
# DATA_DIR holds only what a deployment writes outside PostgreSQL (mail written as files while no
# SMTP_HOST is set); it is the one writable path, so the root filesystem can be mounted read-only.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DEMO_SEED=false DATA_DIR=/data
WORKDIR /app
RUN install -d -o node -g node -m 0700 /data
# package-lock.json marks the application root (config/repo-root.ts); package.json files give
# each compiled folder its module type and the workspace links in node_modules their targets.
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=deps /app/node_modules node_modules
COPY --from=build /app/apps/api/package.json apps/api/
COPY --from=build /app/apps/api/dist apps/api/dist
COPY --from=build /app/apps/web/dist apps/web/dist
COPY --from=build /app/libs/contracts/package.json libs/contracts/
COPY --from=build /app/libs/contracts/dist libs/contracts/dist
COPY --from=build /app/libs/scoring-engine/package.json libs/scoring-engine/
COPY --from=build /app/libs/scoring-engine/dist libs/scoring-engine/dist
COPY --from=build /app/libs/question-bank/package.json libs/question-bank/
COPY --from=build /app/libs/question-bank/dist libs/question-bank/dist
COPY --from=build /app/libs/report-pdf/package.json libs/report-pdf/
COPY --from=build /app/libs/report-pdf/dist libs/report-pdf/dist
# Files stay owned by root: the process can read its code but not change it.
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--max-semi-space-size=64", "--no-allocation-site-pretenuring", "apps/api/dist/apps/api/src/main.js"]
