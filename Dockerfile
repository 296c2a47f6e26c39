# Beacon server + built web app. Expects DATABASE_URL (see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --include=dev --no-audit --no-fund
COPY . .
RUN npm run build:web
USER node
EXPOSE 4000
CMD ["node", "--import", "tsx", "server/main.ts"]
