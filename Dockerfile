# connectplane container image: a Debian 12 build stage and a slim runtime stage.
#
#   podman build --format docker -t connectplane .     # or: docker build -t connectplane .
#   podman run -p 8080:8080 -v cpdata:/data -e CONNECTPLANE_DEMO_SEED=1 connectplane
#
# BASE_IMAGE is any Debian 12 (bookworm) image with apt; where no registry is
# reachable, build one locally from Debian packages (README "Container"):
#   mmdebstrap --variant=minbase --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
#     bookworm - | podman import - connectplane-base:bookworm
#   podman build --format docker --build-arg BASE_IMAGE=localhost/connectplane-base:bookworm ...
# (--format docker keeps the HEALTHCHECK; podman's default OCI format drops it.)
ARG BASE_IMAGE=debian:12-slim

FROM ${BASE_IMAGE} AS build
# The libraries and tools the connectplane target needs (scripts/install-deps.sh
# without the test, benchmark and Node.js tools).
# --force-unsafe-io: no fsync per unpacked file (a failed build starts over anyway).
RUN apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      -o Dpkg::Options::=--force-unsafe-io \
      g++ cmake ninja-build ccache pkg-config \
      libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev \
      libssl-dev libsqlite3-dev libpq-dev libabsl-dev libspdlog-dev libfmt-dev libcli11-dev \
 && rm -rf /var/lib/apt/lists/*
# SRC_DIR and the CCACHE_*, LANG and LC_* arguments let a build reuse a host's
# compiler cache: scripts/test-container.sh passes the checkout's own path, the
# host's values and its cache directory (podman build -v), so the compile
# commands are the host build's and hit its cache. By default the cache is a
# build cache mount kept between image builds.
ARG SRC_DIR=/src
ARG CCACHE_DIR=/ccache
ARG CCACHE_BASEDIR=
ARG CCACHE_NOHASHDIR=
ARG LANG=
ARG LC_ALL=
ARG LC_CTYPE=
ARG LC_MESSAGES=
# Sources go to /src; the build step moves them to SRC_DIR (a WORKDIR or COPY
# destination that depends on an argument is cached by buildah without regard
# to its value).
WORKDIR /src
# Only what the server's target compiles from: a change under tests/, e2e/ or
# docs/ keeps this stage cached.
COPY CMakeLists.txt ./
COPY cmake/ cmake/
COPY console/ console/
COPY src/ src/
COPY container/build-connectplane.sh /usr/local/bin/
RUN --mount=type=cache,target=/ccache build-connectplane.sh /connectplane

FROM ${BASE_IMAGE}
# Runtime shared libraries only (ldd of the binary, by Debian package).
RUN apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      -o Dpkg::Options::=--force-unsafe-io \
      libsqlite3-0 libpq5 libabsl20220623 libssl3 libboost-json1.81.0 libspdlog1.10 libfmt9 \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && groupadd --gid 10001 connectplane \
 && useradd --uid 10001 --gid connectplane --no-create-home --home-dir /data \
      --shell /usr/sbin/nologin connectplane \
 && mkdir -p /data /usr/share/connectplane \
 && chown connectplane:connectplane /data
COPY --from=build /connectplane /usr/local/bin/connectplane
COPY examples/demo-seed.json /usr/share/connectplane/demo-seed.json
COPY container/entrypoint.sh /usr/local/bin/connectplane-entrypoint
RUN if ldd /usr/local/bin/connectplane | grep 'not found'; then exit 1; fi

USER 10001:10001
WORKDIR /data
VOLUME /data
# Read by the entrypoint (serve) and by `connectplane healthcheck`.
ENV CONNECTPLANE_LISTEN=0.0.0.0:8080 \
    CONNECTPLANE_DB=sqlite:/data/connectplane.db \
    CONNECTPLANE_DEMO_SEED=0
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
  CMD ["connectplane", "healthcheck"]
ENTRYPOINT ["connectplane-entrypoint"]
CMD []
