#!/usr/bin/env bash
# Stop the dev/CI Kafka broker started by start.sh (via its pid file):
# SIGTERM (Kafka's graceful controlled shutdown), then SIGKILL after a timeout.
#
#   stop.sh            stop, keep data (topics, offsets) for the next start
#   stop.sh --clean    stop and wipe the data dir (next start re-formats)
#
# Environment (optional):
#   KAFKA_DATA_DIR       data dir to wipe with --clean  default: the last start's, else .cache/data
#   KAFKA_STOP_TIMEOUT   seconds before SIGKILL         default 30
# Downloaded jars (.cache/libs) are always kept.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="$DIR/.cache"
PID_FILE="$CACHE/kafka.pid"
CONFIG="$CACHE/server.properties"
# Default for --clean: the data dir of the last start (from the rendered config),
# else deploy/kafka/.cache/data.
last_dir="$(sed -n 's#^log.dirs=##p' "$CONFIG" 2>/dev/null || true)"
KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-${last_dir:-$CACHE/data}}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

log() { echo "[kafka] $*"; }

clean=0
for arg in "$@"; do
  case "$arg" in
    --clean) clean=1 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "[kafka] unknown argument: $arg (usage: stop.sh [--clean])" >&2; exit 2 ;;
  esac
done

is_our_broker() {
  local pid="$1"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka\.Kafka $CONFIG"
}

pid="$(cat "$PID_FILE" 2>/dev/null || true)"
if is_our_broker "$pid"; then
  log "stopping broker (pid $pid) ..."
  t0=$SECONDS
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    log "still running after ${KAFKA_STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  log "stopped in $((SECONDS - t0))s"
else
  log "not running${pid:+ (stale pid file for pid $pid)}"
fi
rm -f "$PID_FILE"

if ((clean)); then
  if [[ -d "$KAFKA_DATA_DIR" ]]; then
    # Guard: only wipe something that is (or was meant to be) a Kafka data dir.
    case "$(cd "$KAFKA_DATA_DIR" && pwd)/" in
      "$CACHE"/*) ;;
      *) if [[ -n "$(ls -A "$KAFKA_DATA_DIR")" && ! -f "$KAFKA_DATA_DIR/meta.properties" ]]; then
           echo "[kafka] ERROR: $KAFKA_DATA_DIR has no meta.properties; not a Kafka data dir, refusing to wipe it" >&2
           exit 1
         fi ;;
    esac
    log "wiping data dir $KAFKA_DATA_DIR"
    rm -rf "$KAFKA_DATA_DIR"
  fi
fi
