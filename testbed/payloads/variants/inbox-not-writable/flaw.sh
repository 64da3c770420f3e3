#!/bin/sh
# Exits 0 when variant inbox-not-writable has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
[ "$(stat -c '%U %a' /signaling/inbox)" = "root 755" ]
