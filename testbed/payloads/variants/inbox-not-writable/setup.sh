#!/bin/sh
set -eu
chown root:root /signaling/inbox
chmod 0755 /signaling/inbox
