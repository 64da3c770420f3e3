#!/bin/sh
# Exits 0 when variant delivery-no-oort-agent has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
[ ! -e /usr/local/bin/oort-agent ]
