# The API and the worker share one image; docker-compose.yml picks the command.
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY schema ./schema
COPY migrations ./migrations
COPY src ./src
COPY tsconfig.json ./
COPY dashboard ./dashboard
RUN npm run build
# The data volume (docker-compose.yml mounts it at /data) takes this folder's owner when first created.
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 4000
CMD ["node", "--import", "tsx", "src/main.ts"]
