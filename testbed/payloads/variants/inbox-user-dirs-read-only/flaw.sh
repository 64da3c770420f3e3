#!/bin/sh
# Exits 0 when variant inbox-user-dirs-read-only has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
python3 -c 'import os; os.getxattr("/signaling/inbox", "system.posix_acl_default")'
