#!/bin/sh
# Replaces the instance's sudo rules for the signaling user with the payload team's own (see description).
set -eu
: "${SIGKIT_USER:?}"
for f in /etc/sudoers.d/*; do
    [ -f "$f" ] || continue
    if grep -q -- "$SIGKIT_USER" "$f"; then rm -f "$f"; fi
done
gpasswd -d "$SIGKIT_USER" sudo >/dev/null 2>&1 || true
rules=/etc/sudoers.d/50-payload-ops
cat > "$rules.tmp" <<EOF
# payload operations team: what the signaling user may run as root
Cmnd_Alias PAYLOAD_CLOCK = /usr/local/sbin/date, /usr/bin/date, /bin/date, \\
                           /usr/local/sbin/hwclock, /usr/sbin/hwclock, /sbin/hwclock, \\
                           /usr/local/sbin/timedatectl, /usr/bin/timedatectl, /bin/timedatectl
Cmnd_Alias PAYLOAD_POWER = /usr/local/sbin/shutdown, /usr/sbin/shutdown, /sbin/shutdown, \\
                           /usr/local/sbin/halt, /usr/sbin/halt, /sbin/halt, \\
                           /usr/local/sbin/poweroff, /usr/sbin/poweroff, /sbin/poweroff
# only what the bus runs, with its arguments
$SIGKIT_USER ALL=(root) NOPASSWD: /usr/local/sbin/date -s *, /usr/bin/date -s *, \\
    /usr/local/sbin/shutdown -h now, /usr/sbin/shutdown -h now, /sbin/shutdown -h now
EOF
chmod 0440 "$rules.tmp"
visudo -c -q -f "$rules.tmp"
mv "$rules.tmp" "$rules"
# Fail loudly rather than leave a variant that is secretly conformant (e.g. a rule elsewhere still allows ALL).
expect() {  # expect allowed|denied COMMAND
    if sudo -l -U "$SIGKIT_USER" "$2" >/dev/null 2>&1; then got=allowed; else got=denied; fi
    if [ "$got" != "$1" ]; then
        echo "setup.sh: sudo for $SIGKIT_USER: $2 is $got, expected $1: another sudo rule is in the way" >&2
        exit 1
    fi
}
expect denied date
expect denied shutdown
expect denied halt
for c in "date -s @1700000000" "shutdown -h now"; do
    # the command and its arguments, split on purpose
    sudo -l -U "$SIGKIT_USER" $c >/dev/null 2>&1 || { echo "setup.sh: sudo refuses $c" >&2; exit 1; }
done
