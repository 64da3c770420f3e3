#!/bin/sh
# Exits 0 when variant sudo-power-requiretty has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
grep -qx "Defaults!PAYLOAD_POWER requiretty" /etc/sudoers.d/50-payload-ops
