#!/bin/sh
# Default ACL u::r-x,g::r-x,o::r-x on /signaling/inbox (what `setfacl -d -m u::rx,g::rx,o::rx` would set;
# written with python3 because the acl package is not installed). The inbox itself stays writable.
set -eu
/usr/bin/python3 - <<'EOF'
import os, struct
entries = [(0x01, 5), (0x04, 5), (0x20, 5)]          # ACL_USER_OBJ, ACL_GROUP_OBJ, ACL_OTHER: r-x
acl = struct.pack("<I", 2) + b"".join(struct.pack("<HHI", tag, perm, 0xFFFFFFFF) for tag, perm in entries)
os.setxattr("/signaling/inbox", "system.posix_acl_default", acl)
EOF
