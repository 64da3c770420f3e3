#!/bin/sh
set -eu
usermod -s /usr/sbin/nologin "$SIGKIT_USER"
