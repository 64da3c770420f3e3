#!/bin/sh
# Exits 0 when variant payload-exec-world-writable has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
[ "$(stat -L -c %a /usr/bin/payload_exec)" = 777 ]
