#!/usr/bin/env bash
# `make run`'s last step: the job worker and the scheduler in the background, the web server
# in the foreground; Ctrl-C stops all three.
set -euo pipefail
BIN=${BIN:-.venv/bin}
HOST=${1:-127.0.0.1:8000}
mkdir -p var/log
"$BIN/portlab" worker >var/log/worker.log 2>&1 &
worker=$!
"$BIN/portlab" scheduler >var/log/scheduler.log 2>&1 &
scheduler=$!
trap 'kill $worker $scheduler 2>/dev/null || true' EXIT INT TERM
echo "worker (pid $worker) and scheduler (pid $scheduler) log to var/log/; e-mails go to var/outbox/"
"$BIN/portlab" runserver "$HOST" --noreload
