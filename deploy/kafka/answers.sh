#!/usr/bin/env bash
# Exit 0 when the tests' Kafka broker already answers: KAFKA_TEST_BROKERS when set (a broker the
# caller runs), else 127.0.0.1:$KAFKA_PORT (default 9092). Only checks that the port accepts.
set -euo pipefail
if [[ -n "${KAFKA_TEST_BROKERS:-}" ]]; then
  first="${KAFKA_TEST_BROKERS%%,*}"
  host="${first%:*}" port="${first##*:}"
else
  host=127.0.0.1 port="${KAFKA_PORT:-9092}"
fi
(exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
