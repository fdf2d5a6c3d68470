#!/usr/bin/env bash
# Start a local CUPS scheduler with a "PDF" queue (cups-pdf) for the real print-job test.
# Idempotent; installs CUPS and cups-pdf with apt when running as root and they are missing.
# Jobs printed by root land in ~root/PDF (see Out in /etc/cups/cups-pdf.conf).
set -euo pipefail

QUEUE="${FRONTDESK_TEST_PRINTER:-PDF}"
PPD=/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd

if ! command -v cupsd >/dev/null 2>&1 || [ ! -f "$PPD" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      cups cups-client cups-filters printer-driver-cups-pdf ghostscript >/dev/null
  else
    echo "CUPS is not installed. Run: sudo apt-get install cups printer-driver-cups-pdf" >&2
    exit 1
  fi
fi

running() { lpstat -r 2>/dev/null | grep -q "scheduler is running"; }

if ! running; then
  if [ "$(id -u)" != 0 ]; then
    echo "cupsd is not running and only root can start it here: sudo cupsd" >&2
    exit 1
  fi
  mkdir -p /run/cups
  /usr/sbin/cupsd  # forks into the background and writes /run/cups/cupsd.pid
  for _ in $(seq 1 40); do
    running && break
    sleep 0.25
  done
fi
if ! running; then
  echo "cupsd did not start; see /var/log/cups/error_log" >&2
  exit 1
fi

if ! lpstat -p "$QUEUE" >/dev/null 2>&1; then
  lpadmin -p "$QUEUE" -v cups-pdf:/ -P "$PPD" -E
fi
cupsenable "$QUEUE"
cupsaccept "$QUEUE"
echo "CUPS is running with the $QUEUE queue."
