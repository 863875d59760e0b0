#!/usr/bin/env bash
# What `npm test` needs besides npm packages: Debian's Chromium for browser tests, the Python
# `openai` package in a venv for the SDK tests, and a real Kafka broker on loopback for the Kafka
# adapter and the distributed end-to-end test.
# A broker that already answers (KAFKA_TEST_BROKERS, else 127.0.0.1:$KAFKA_PORT) is used as it is;
# otherwise deploy/kafka/start.sh starts one (KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_DATA_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "test-prereqs: installing Debian's chromium (browser tests)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

bash deploy/python-sdk/venv.sh

if bash deploy/kafka/answers.sh; then
  exit 0
elif [[ -n "${KAFKA_TEST_BROKERS:-}" ]]; then
  echo "test-prereqs: KAFKA_TEST_BROKERS=$KAFKA_TEST_BROKERS does not answer" >&2
  exit 1
fi
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "test-prereqs: $tool is required for the Kafka broker (Java 17+, Maven)" >&2; exit 1; }
done
bash deploy/kafka/start.sh
