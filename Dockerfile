# Production image: the API serving the built web app. PostgreSQL comes from DATABASE_URL
# (see docker-compose.yml); the embedded database is for a laptop, not for deployments. With
# DATABASE_URL, PUBLIC_URL is required too (the address people open the service at).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY libs/contracts/package.json libs/contracts/
COPY libs/scoring-engine/package.json libs/scoring-engine/
COPY libs/question-bank/package.json libs/question-bank/
COPY libs/report-pdf/package.json libs/report-pdf/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DEMO_SEED=false
WORKDIR /app
COPY --from=build /app /app
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:3000/api/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "--max-semi-space-size=64", "--no-allocation-site-pretenuring", "apps/api/dist/apps/api/src/main.js"]
