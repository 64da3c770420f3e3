#!/bin/sh
# Exits 0 when variant sudo-password has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
grep -q "(root) PASSWD: SIGKIT_CLOCK" /etc/sudoers.d/sigkit-testbed
