#!/bin/sh
set -eu
# the bench image: the reference payload without the OORT agent
rm -f /etc/systemd/system/multi-user.target.wants/oort-agent.service /etc/systemd/system/oort-agent.service /usr/local/bin/oort-agent
rm -rf /var/lib/oort-agent
