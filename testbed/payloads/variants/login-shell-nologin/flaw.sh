#!/bin/sh
# Exits 0 when variant login-shell-nologin has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
[ "$(getent passwd "$SIGKIT_USER" | cut -d: -f7)" = /usr/sbin/nologin ]
