#!/bin/sh
# Self-test of the reference payload and every broken variant, without the sandbox: see selftest.py.
# As root: ./selftest.sh [--jobs N] [--verbose] [CASE...]   (or --backend sandbox to go through payload-sandbox)
exec /usr/bin/python3 "$(dirname "$0")/selftest.py" "$@"
