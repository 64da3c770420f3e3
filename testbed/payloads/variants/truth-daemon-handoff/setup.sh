#!/bin/sh
# payloadd: the payload's resident daemon, started at boot as the signaling user; it runs each queued window in a
# thread until the window's end time (at most its work_seconds), writing /var/lib/payload/<id>/result.json.
set -eu
install -d -m 0750 -o "$SIGKIT_USER" -g "$(id -gn "$SIGKIT_USER")" /var/lib/payload/spool
mkdir -p /usr/lib/payload
cat > /usr/lib/payload/payloadd <<'EOF'
#!/usr/bin/python3
import json, os, threading, time
SPOOL = "/var/lib/payload/spool"
def work(job):
    began = time.time()
    finish_by = min(job["end"] - 0.3, began + job["work_seconds"])
    while time.time() < finish_by:
        time.sleep(min(0.2, max(0.0, finish_by - time.time())))
    path = os.path.join("/var/lib/payload", job["window"], "result.json")
    with open(path + ".tmp", "w") as f:
        json.dump({"window": job["window"], "began": began, "finished": time.time(), "status": "completed"}, f)
    os.replace(path + ".tmp", path)
while True:
    for name in sorted(os.listdir(SPOOL)):
        if name.endswith(".job"):
            path = os.path.join(SPOOL, name)
            try:
                with open(path) as f:
                    job = json.load(f)
                os.unlink(path)
            except (OSError, ValueError):
                continue
            threading.Thread(target=work, args=(job,), daemon=True).start()
    time.sleep(0.1)
EOF
chmod 0755 /usr/lib/payload/payloadd
cd /
setpriv --reuid="$(id -u "$SIGKIT_USER")" --regid="$(id -g "$SIGKIT_USER")" --init-groups \
    setsid /usr/lib/payload/payloadd </dev/null >/dev/null 2>&1 &
