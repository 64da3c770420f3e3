#!/bin/sh
# Exits 0 when variant no-sudo has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
[ ! -e /etc/sudoers.d/sigkit-testbed ] && ! sudo -l -U "$SIGKIT_USER" date >/dev/null 2>&1
