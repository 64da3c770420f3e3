#!/bin/sh
set -eu
mkdir -p /usr/local/bin
mv /usr/bin/payload_exec /usr/local/bin/payload_exec
