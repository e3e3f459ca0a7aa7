# One image for the gateway and the demo backends (the compose file picks the command).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
COPY gateway/package.json gateway/package.json
RUN npm ci --no-audit --no-fund
COPY . .
ENV NODE_ENV=production
EXPOSE 4000
CMD ["node", "gateway/bin/openclaw.js", "start"]
