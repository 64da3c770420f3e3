#!/bin/sh
# Exits 0 when variant window-configs-not-writable has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
[ "$(stat -c '%U %a' /signaling/window_configs)" = "root 755" ]
