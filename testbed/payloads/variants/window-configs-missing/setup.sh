#!/bin/sh
set -eu
rm -rf /signaling/window_configs
