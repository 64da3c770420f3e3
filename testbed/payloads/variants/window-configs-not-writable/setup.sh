#!/bin/sh
set -eu
chown root:root /signaling/window_configs
chmod 0755 /signaling/window_configs
