#!/bin/sh
# Exits 0 when variant shutdown-without-systemd has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
! /usr/local/sbin/shutdown -h now 2>/dev/null
