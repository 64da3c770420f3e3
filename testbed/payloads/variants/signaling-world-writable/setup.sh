#!/bin/sh
set -eu
chmod 0777 /signaling /signaling/inbox /signaling/window_configs
