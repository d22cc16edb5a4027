# Tests only: a stand-in for the official `apache/kafka` image, made from Debian's Java 17 and the
# Kafka jars deploy/kafka/kafka.sh fetches from Maven Central (deploy/kafka/pom.xml), for machines
# that cannot pull from an image registry. Built by deploy/images/build.py from a context holding
# deploy/kafka/lib/ and the files beside this one. It keeps the part of the official image's
# contract that Kinerja uses: every KAFKA_NAME_OF_SETTING variable becomes name.of.setting in
# server.properties, CLUSTER_ID formats the log dirs on the first start, KAFKA_HEAP_OPTS, and
# /opt/kafka/bin/kafka-broker-api-versions.sh for the health check. Runs as uid 1000 like it.
# Production keeps the official image (deploy/compose/compose.yaml: KAFKA_IMAGE).
ARG BASE_IMAGE=kinerja-local/debian:bookworm
FROM ${BASE_IMAGE}
# (Java's package links its manual pages: the folder the base image emptied must exist.)
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb /usr/share/doc/* /usr/share/man/* \
 && echo 'appuser:x:1000:' >> /etc/group \
 && echo 'appuser:x:1000:1000::/opt/kafka:/usr/sbin/nologin' >> /etc/passwd \
 && mkdir -p /opt/kafka/bin /opt/kafka/config /var/lib/kafka/data \
 && chown -R 1000:1000 /opt/kafka/config /var/lib/kafka
COPY lib/ /opt/kafka/libs/
COPY kafka-log4j2.properties /opt/kafka/config/log4j2.properties
COPY tools-log4j2.properties /opt/kafka/config/
COPY kafka-entrypoint.sh /opt/kafka/bin/run.sh
COPY kafka-broker-api-versions.sh /opt/kafka/bin/kafka-broker-api-versions.sh
USER 1000:1000
HEALTHCHECK --interval=10s --timeout=20s --start-period=30s --retries=12 \
  CMD /opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server "${KAFKA_HEALTH_BOOTSTRAP:-127.0.0.1:9092}" >/dev/null 2>&1
ENTRYPOINT ["/opt/kafka/bin/run.sh"]
