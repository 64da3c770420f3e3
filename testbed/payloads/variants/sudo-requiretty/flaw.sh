#!/bin/sh
# Exits 0 when variant sudo-requiretty has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
grep -qx "Defaults:$SIGKIT_USER requiretty" /etc/sudoers.d/sigkit-testbed
