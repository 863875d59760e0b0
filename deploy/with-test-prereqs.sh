#!/usr/bin/env bash
# `npm test`: runs its command with Chromium and a Kafka broker (deploy/test-prereqs.sh). A broker that
# was already running is left running; one started here is stopped when the command ends, pass or fail.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! bash deploy/kafka/answers.sh; then
  trap 'bash deploy/kafka/stop.sh' EXIT
fi
bash deploy/test-prereqs.sh
"$@"
