#!/bin/bash
# apache/kafka's start, the part Kinerja uses: KAFKA_* variables -> server.properties
# (KAFKA_LOG_DIRS -> log.dirs), the log dirs formatted with CLUSTER_ID once, then the broker.
set -euo pipefail
conf=/opt/kafka/config/server.properties
: >"$conf"
while IFS='=' read -r name value; do
    case "$name" in
        KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_PERFORMANCE_OPTS | KAFKA_HEALTH_BOOTSTRAP) continue ;;
        KAFKA_*) printf '%s=%s\n' "$(printf '%s' "${name#KAFKA_}" | tr 'A-Z_' 'a-z.')" "$value" >>"$conf" ;;
    esac
done < <(env)
logs="-Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties"   # to standard output
if [[ -z ${CLUSTER_ID:-} ]]; then echo "run.sh: CLUSTER_ID is required" >&2; exit 1; fi
java -Xmx256m -XX:+UseSerialGC -Dlog4j2.configurationFile=/opt/kafka/config/tools-log4j2.properties -cp '/opt/kafka/libs/*' \
    kafka.tools.StorageTool format --ignore-formatted -t "$CLUSTER_ID" -c "$conf"
# shellcheck disable=SC2086  # the options split on spaces, as in kafka-server-start.sh
exec java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    ${KAFKA_OPTS:-} $logs -cp '/opt/kafka/libs/*' kafka.Kafka "$conf"
