#!/bin/sh
# systemd's shutdown in an image whose PID 1 is not systemd (replaces the testbed's recording stand-in).
set -eu
cat > /usr/local/sbin/shutdown <<'EOF'
#!/bin/sh
echo "System has not been booted with systemd as init system (PID 1). Can't operate." >&2
echo "Failed to connect to bus: Host is down" >&2
exit 1
EOF
chmod 0755 /usr/local/sbin/shutdown
