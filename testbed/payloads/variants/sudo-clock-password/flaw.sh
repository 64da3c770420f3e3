#!/bin/sh
# Exits 0 when variant sudo-clock-password has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
grep -q "(root) PASSWD: PAYLOAD_CLOCK" /etc/sudoers.d/50-payload-ops
