#!/bin/sh
# Exits 0 when variant signaling-world-writable has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
[ "$(stat -c %a /signaling /signaling/inbox /signaling/window_configs | sort -u)" = 777 ]
