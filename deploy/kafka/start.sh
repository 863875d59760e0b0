#!/usr/bin/env bash
# Start a single-node Apache Kafka broker (KRaft, combined broker+controller)
# on loopback, for dev and CI. No Docker: the broker's jars come from Maven
# Central through deploy/kafka/pom.xml.
#
# Idempotent:
#   - jars are fetched into .cache/libs only when missing or when pom.xml changed;
#   - storage is formatted only when the data dir is not formatted yet;
#   - if the broker is already running (pid file), it says so and exits 0.
#
# Environment (all optional):
#   KAFKA_PORT              client (PLAINTEXT) port            default 9092
#   KAFKA_CONTROLLER_PORT   KRaft controller port              default 9093
#   KAFKA_DATA_DIR          log/metadata dir                   default deploy/kafka/.cache/data
#   KAFKA_HEAP_OPTS         JVM heap flags                     default -Xms128m -Xmx512m
#   KAFKA_JVM_OPTS          extra JVM flags                    default G1 with short pauses
#   KAFKA_START_TIMEOUT     seconds to wait for the broker     default 120
#   KAFKA_CLUSTER_ID        cluster id used when formatting    default: a fresh random one
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="$DIR/.cache"
LIBS="$CACHE/libs"
PID_FILE="$CACHE/kafka.pid"
LOG_FILE="$CACHE/kafka.log"
CONFIG="$CACHE/server.properties"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-$CACHE/data}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}"
KAFKA_JVM_OPTS="${KAFKA_JVM_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"

log() { echo "[kafka] $*"; }
die() { echo "[kafka] ERROR: $*" >&2; exit 1; }

for tool in java mvn flock; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' not found on PATH (need Java 17+, Maven 3.6+, util-linux)"
done
java_major="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
[[ -n "$java_major" && "$java_major" -ge 17 ]] || die "Kafka 4.x needs Java 17+, found java.specification.version='${java_major:-?}'"
[[ "$KAFKA_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_PORT must be a number, got '$KAFKA_PORT'"
[[ "$KAFKA_CONTROLLER_PORT" =~ ^[0-9]+$ ]] || die "KAFKA_CONTROLLER_PORT must be a number, got '$KAFKA_CONTROLLER_PORT'"
[[ "$KAFKA_PORT" != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"

mkdir -p "$CACHE"
mkdir -p "$KAFKA_DATA_DIR"
KAFKA_DATA_DIR="$(cd "$KAFKA_DATA_DIR" && pwd)"

# One start.sh at a time (parallel CI steps, double invocations).
exec 9>"$CACHE/start.lock"
flock -w 600 9 || die "another start.sh holds $CACHE/start.lock"

# --- already running? ---------------------------------------------------------
# A pid counts only if that process is alive and is our kafka.Kafka (guards
# against a stale pid file whose pid was reused).
is_our_broker() {
  local pid="$1"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka\.Kafka $CONFIG"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [[ -f "$PID_FILE" ]]; then
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  if is_our_broker "$pid"; then
    # $CONFIG is the config the running broker was started with.
    running_port="$(sed -n 's#^advertised.listeners=PLAINTEXT://127.0.0.1:\([0-9]*\).*#\1#p' "$CONFIG" 2>/dev/null || true)"
    running_dir="$(sed -n 's#^log.dirs=##p' "$CONFIG" 2>/dev/null || true)"
    if [[ -n "$running_port" && "$running_port" != "$KAFKA_PORT" ]]; then
      die "a broker is already running (pid $pid) on 127.0.0.1:$running_port, not on the requested 127.0.0.1:$KAFKA_PORT; run $DIR/stop.sh first"
    fi
    if port_open "$KAFKA_PORT"; then
      log "already running (pid $pid) on 127.0.0.1:$KAFKA_PORT, data in ${running_dir:-?}"
      exit 0
    fi
    die "broker process $pid is running but 127.0.0.1:$KAFKA_PORT does not answer (hung or shutting down?); see $LOG_FILE, or run $DIR/stop.sh"
  fi
  log "removing stale pid file (pid ${pid:-?} is not running)"
  rm -f "$PID_FILE"
fi

for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
  port_open "$p" && die "127.0.0.1:$p is already in use by another process (not this broker); free it or set KAFKA_PORT / KAFKA_CONTROLLER_PORT"
done

# --- jars -----------------------------------------------------------------------
# .cache/libs/.pom.sha256 records the pom the jars came from; a pom change
# (e.g. another Kafka version) refetches them.
pom_sum="$(sha256sum "$DIR/pom.xml" | cut -d' ' -f1)"
if [[ -f "$LIBS/.pom.sha256" && "$(cat "$LIBS/.pom.sha256")" == "$pom_sum" ]]; then
  log "jars present in $LIBS"
else
  log "fetching Kafka jars from Maven Central into $LIBS ..."
  t0=$SECONDS
  rm -rf "$LIBS.tmp"
  if ! mvn -q -B -f "$DIR/pom.xml" dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$LIBS.tmp" >"$CACHE/mvn.log" 2>&1; then
    tail -n 40 "$CACHE/mvn.log" >&2
    die "mvn dependency:copy-dependencies failed (full output: $CACHE/mvn.log)"
  fi
  echo "$pom_sum" >"$LIBS.tmp/.pom.sha256"
  rm -rf "$LIBS"
  mv "$LIBS.tmp" "$LIBS"
  log "jars fetched in $((SECONDS - t0))s"
fi

# --- config -----------------------------------------------------------------------
sed -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" \
    -e "s#@KAFKA_CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" \
    -e "s#@KAFKA_DATA_DIR@#$KAFKA_DATA_DIR#g" \
    "$DIR/server.properties" >"$CONFIG"

JAVA_LOG_OPTS=(-Dlog4j2.configurationFile="$DIR/log4j2.properties")

# --- format storage (first start only) ------------------------------------------
if [[ -f "$KAFKA_DATA_DIR/meta.properties" ]]; then
  log "storage already formatted in $KAFKA_DATA_DIR"
else
  cluster_id="${KAFKA_CLUSTER_ID:-$(java -cp "$LIBS/*" "${JAVA_LOG_OPTS[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)}"
  [[ -n "$cluster_id" ]] || die "could not generate a cluster id (kafka.tools.StorageTool random-uuid)"
  log "formatting storage in $KAFKA_DATA_DIR (cluster id $cluster_id)"
  if ! java -cp "$LIBS/*" "${JAVA_LOG_OPTS[@]}" kafka.tools.StorageTool format \
        --config "$CONFIG" --cluster-id "$cluster_id" >"$CACHE/format.log" 2>&1; then
    cat "$CACHE/format.log" >&2
    die "kafka.tools.StorageTool format failed"
  fi
fi

# --- start ---------------------------------------------------------------------
[[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
log "starting broker on 127.0.0.1:$KAFKA_PORT (controller 127.0.0.1:$KAFKA_CONTROLLER_PORT), log: $LOG_FILE"
t0=$SECONDS
# setsid: own session, so the broker outlives this shell and a Ctrl-C in it.
# The inner sh writes its own pid, then execs java (the pid stays the same).
# shellcheck disable=SC2086,SC2016
setsid sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$PID_FILE" \
  java $KAFKA_HEAP_OPTS $KAFKA_JVM_OPTS "${JAVA_LOG_OPTS[@]}" \
  -cp "$LIBS/*" kafka.Kafka "$CONFIG" \
  </dev/null >"$LOG_FILE" 2>&1 9>&- &

# --- wait until it serves clients ----------------------------------------------
# Ready = the "Kafka Server started" line is logged AND the client port accepts.
for _ in 1 2 3 4 5 6 7 8 9 10; do [[ -s "$PID_FILE" ]] && break; sleep 0.1; done
pid="$(cat "$PID_FILE" 2>/dev/null || true)"
deadline=$((SECONDS + KAFKA_START_TIMEOUT))
while :; do
  if [[ -z "$pid" ]] || ! kill -0 "$pid" 2>/dev/null; then
    echo "----- last lines of $LOG_FILE -----" >&2
    tail -n 40 "$LOG_FILE" >&2 || true
    rm -f "$PID_FILE"
    die "broker process exited during startup"
  fi
  if grep -q "Kafka Server started" "$LOG_FILE" 2>/dev/null && port_open "$KAFKA_PORT"; then
    break
  fi
  if ((SECONDS >= deadline)); then
    echo "----- last lines of $LOG_FILE -----" >&2
    tail -n 40 "$LOG_FILE" >&2 || true
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$PID_FILE"
    die "broker (pid $pid) not ready on 127.0.0.1:$KAFKA_PORT after ${KAFKA_START_TIMEOUT}s (raise KAFKA_START_TIMEOUT?); it was stopped"
  fi
  sleep 0.5
done
log "ready on 127.0.0.1:$KAFKA_PORT (pid $pid, started in $((SECONDS - t0))s)"
