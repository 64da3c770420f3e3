#!/bin/sh
# Exits 0 when variant payload-exec-not-executable has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
[ "$(stat -c %a /usr/bin/payload_exec)" = 644 ]
