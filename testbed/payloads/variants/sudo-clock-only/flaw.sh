#!/bin/sh
# Exits 0 when variant sudo-clock-only has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
sudo -l -U "$SIGKIT_USER" date >/dev/null && ! sudo -l -U "$SIGKIT_USER" shutdown >/dev/null
