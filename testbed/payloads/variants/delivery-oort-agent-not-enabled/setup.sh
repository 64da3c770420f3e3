#!/bin/sh
set -eu
rm -f /etc/systemd/system/multi-user.target.wants/oort-agent.service
