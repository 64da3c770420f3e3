#!/bin/sh
# Exits 0 when variant delivery-oort-agent-not-enabled has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
[ -e /etc/systemd/system/oort-agent.service ] && [ ! -e /etc/systemd/system/multi-user.target.wants/oort-agent.service ]
