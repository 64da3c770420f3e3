#!/bin/sh
# Exits 0 when variant payload-exec-dangling-link has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
[ -L /usr/bin/payload_exec ] && [ ! -e /usr/bin/payload_exec ]
