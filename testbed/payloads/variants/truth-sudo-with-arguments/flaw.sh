#!/bin/sh
# Exits 0 when variant truth-sudo-with-arguments has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
sudo -l -U "$SIGKIT_USER" date -s @1700000000 >/dev/null && ! sudo -l -U "$SIGKIT_USER" date >/dev/null
