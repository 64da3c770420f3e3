#!/bin/sh
# Exits 0 when variant payload-exec-missing has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
[ ! -e /usr/bin/payload_exec ] && [ -x /usr/local/bin/payload_exec ]
