#!/bin/sh
# Exits 0 when variant clock-set-not-permitted has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
/usr/local/sbin/date -s @1700000000 2>&1 | grep -q "cannot set date: Operation not permitted"
