#!/bin/sh
set -eu
mkdir -p /opt/payload/releases/1.4.2/bin
mv /usr/bin/payload_exec /opt/payload/releases/1.4.2/bin/payload_exec
ln -sfn /opt/payload/releases/1.5.0 /opt/payload/current   # 1.5.0 was never unpacked
ln -s /opt/payload/current/bin/payload_exec /usr/bin/payload_exec
