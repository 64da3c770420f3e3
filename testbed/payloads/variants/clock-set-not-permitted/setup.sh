#!/bin/sh
# No CAP_SYS_TIME: setting the clock fails as date(1) fails then, reading it works. (The instance has no CAP_SYS_TIME
# either; this replaces the testbed's recording stand-in, which would pretend the clock was set.)
set -eu
cat > /usr/local/sbin/date <<'EOF'
#!/bin/sh
for a in "$@"; do
    case $a in
        -s* | --set | --set=*) echo "date: cannot set date: Operation not permitted" >&2; exit 1 ;;
    esac
done
exec /usr/bin/date "$@"
EOF
chmod 0755 /usr/local/sbin/date
