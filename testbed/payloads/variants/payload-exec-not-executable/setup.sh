#!/bin/sh
set -eu
chmod 0644 /usr/bin/payload_exec
