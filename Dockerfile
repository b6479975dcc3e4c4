# syntax=docker/dockerfile:1
# One image per EkTola process, picked by a build argument:
#   docker build --build-arg SERVICE=campaign-service -t ektola/campaign-service .
#   docker build --build-arg SERVICE=whatsapp-simulator --build-arg WORKSPACE=test/whatsapp-simulator -t ektola/whatsapp-simulator .
# Node.js runs the TypeScript sources directly (type stripping), so there is no compile stage: the
# first stage installs production dependencies only, the second copies them beside the sources.

# Same major as the `node` devDependency the tests run on (test/deploy checks they agree).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS dependencies
ARG SERVICE
ARG WORKSPACE=services/${SERVICE}
WORKDIR /app
# npm ci checks the lockfile against every workspace's manifest, so all of them are copied; only
# the chosen workspace and the platform library are installed.
COPY package.json package-lock.json ./
COPY services/platform/package.json services/platform/
COPY services/campaign-service/package.json services/campaign-service/
COPY services/dispatcher-service/package.json services/dispatcher-service/
COPY services/scheduler-service/package.json services/scheduler-service/
COPY services/webhook-service/package.json services/webhook-service/
COPY services/console/package.json services/console/
COPY services/callback-service/package.json services/callback-service/
COPY test/whatsapp-simulator/package.json test/whatsapp-simulator/
RUN test -n "${SERVICE}" || { echo "build with --build-arg SERVICE=<name>, e.g. campaign-service" >&2; exit 1; }
# The driver fixes in patches/ (see there) are applied as the root's postinstall does it; patch-package
# is a devDependency, so it is run by version here and lifecycle scripts are skipped.
COPY patches ./patches
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w "${WORKSPACE}" -w services/platform \
    && npx --yes patch-package@8.0.1 --error-on-fail

# The operator console: Vite builds services/console into static files, which the campaign-service
# serves at /. Its own stage with every dependency (Vite is a devDependency); only dist/ goes on.
FROM ${NODE_IMAGE} AS console
WORKDIR /app
COPY --from=dependencies /app/package.json /app/package-lock.json ./
COPY --from=dependencies /app/services ./services
COPY --from=dependencies /app/test ./test
COPY --from=dependencies /app/patches ./patches
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund
COPY services/platform ./services/platform
COPY services/console ./services/console
RUN npm run console:build

FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ARG WORKSPACE=services/${SERVICE}
# tini as PID 1 forwards SIGTERM to Node and reaps zombies, so every entry point (the services,
# the migration command, the scheduler pass) stops the same way under Kubernetes.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
# The same V8 flags as deploy/local/stack.ts's serviceNodeOptions (why: see there): a small young
# generation and an old generation capped well above the services' live heaps.
ENV NODE_OPTIONS="--max-semi-space-size=16 --max-old-space-size=256"
# One malloc arena per process, as deploy/local/stack.ts's serviceEnvironment (why: see there).
ENV MALLOC_ARENA_MAX=1
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
# The platform loads the .proto files at run time (grpc/proto.ts resolves /app/proto).
COPY proto ./proto
COPY services/platform ./services/platform
COPY ${WORKSPACE} ./${WORKSPACE}
# The console's build, where the campaign-service looks for it (CONSOLE_DIR); a few hundred KB in the others.
COPY --from=console /app/services/console/dist ./services/console/dist
# A fixed path to the chosen workspace, so one CMD serves every image; Node resolves the link to
# its real path, so module resolution is the same as with `node ${WORKSPACE}/src/main.ts`.
RUN ln -s "/app/${WORKSPACE}" /app/service
# Node's compile cache, filled now with every module the service loads (services/platform/src/
# warm-compile-cache.ts says how): a pod then starts without loading the TypeScript transpiler, about
# 15 MB less resident per process. Flags that change compiled code key the cache, so it is filled once per
# set of `nodeFlags` the chart gives by default (none, or the heap-growing flag). Like the sources, it
# stays root's and read-only to the process.
ENV NODE_COMPILE_CACHE=/app/.compile-cache
RUN for flags in "" "--heap-growing-percent=50"; do \
      node $flags services/platform/src/warm-compile-cache.ts service/src/main.ts || exit 1; \
    done \
    && chmod -R a+rX,go-w /app/.compile-cache
# Files stay owned by root and read-only to the process: the root filesystem can be mounted
# read-only. The numeric user lets Kubernetes verify runAsNonRoot.
USER 1000:1000
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "service/src/main.ts"]
