#!/bin/sh
# Exits 0 when variant window-configs-missing has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
[ ! -e /signaling/window_configs ]
