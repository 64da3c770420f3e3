#!/bin/sh
# Installs what the reference payload_exec needs besides /usr/bin/payload_exec itself.
# Run as root inside the payload instance, with SIGKIT_USER set to the signaling user.
#   /var/lib/payload/         the payload's data: one directory per window (/var/lib/payload/<window id>/)
#   /var/log/payload_exec.log the payload's log
# Both belong to the signaling user (payload_exec runs as that user) and are not writable by others.
# And /usr/local/bin/oort-agent, a stand-in for the OORT agent (SDK API on 127.0.0.1:2005), enabled for boot as the
# systemd unit oort-agent.service (the link in multi-user.target.wants); the testbed's
# boot step (lib/provision.sh) starts it. Skipped when the files are not beside this
# script (the container image copies install.sh alone).
set -eu
: "${SIGKIT_USER:?SIGKIT_USER must name the signaling user}"
if ! id "$SIGKIT_USER" >/dev/null 2>&1; then
    echo "install.sh: no such user: $SIGKIT_USER" >&2
    exit 1
fi
group=$(id -gn "$SIGKIT_USER")
[ -x /usr/bin/python3 ] || { echo "install.sh: payload_exec needs /usr/bin/python3 (apt-get install python3)" >&2; exit 1; }

install -d -m 0750 -o "$SIGKIT_USER" -g "$group" /var/lib/payload
touch /var/log/payload_exec.log
chown "$SIGKIT_USER:$group" /var/log/payload_exec.log
chmod 0640 /var/log/payload_exec.log

if [ -f oort-agent ] && [ -f oort-agent.service ]; then
    install -m 0755 -o root -g root oort-agent /usr/local/bin/oort-agent
    install -d -m 0700 -o root -g root /var/lib/oort-agent
    install -d -m 0755 /etc/systemd/system/multi-user.target.wants
    install -m 0644 -o root -g root oort-agent.service /etc/systemd/system/oort-agent.service
    ln -sfn /etc/systemd/system/oort-agent.service /etc/systemd/system/multi-user.target.wants/oort-agent.service
fi
