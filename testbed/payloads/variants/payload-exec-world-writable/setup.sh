#!/bin/sh
set -eu
chmod 0777 /usr/bin/payload_exec
