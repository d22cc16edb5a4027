# Tests only: a stand-in for the official `postgres` image, made from Debian's PostgreSQL packages
# on the local Debian base (deploy/images/base.sh), for machines that cannot pull from a registry.
# It keeps the part of the official image's contract that Kinerja uses: POSTGRES_USER,
# POSTGRES_PASSWORD, POSTGRES_DB, PGDATA, the scripts in /docker-entrypoint-initdb.d/ on the
# first start, pg_isready, and `-c name=value` arguments. PGPORT moves the port (host networking).
# Production keeps the official image (deploy/compose/compose.yaml: POSTGRES_IMAGE).
ARG BASE_IMAGE=kinerja-local/debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /usr/share/doc/* /usr/share/man/* \
 && rm -rf /var/lib/postgresql/15 /etc/postgresql/15 \
 && mkdir -p /var/lib/postgresql/data /docker-entrypoint-initdb.d /var/run/postgresql \
 && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql \
 && chmod 700 /var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
USER postgres
STOPSIGNAL SIGINT
HEALTHCHECK --interval=5s --timeout=5s --start-period=10s --retries=20 CMD ["pg_isready", "-h", "127.0.0.1"]
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
