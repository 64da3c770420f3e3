# lib.sh: helpers shared by the bench scripts (sourced, not run).

# free_port: prints a TCP port free on 127.0.0.1 right now
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# field JSON_LINE KEY: prints one field of a payload-sandbox `up` line
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

# measure OUT EXPECTED_EXIT STDERR_FILE CMD...: runs CMD (stdout discarded, stderr to STDERR_FILE) and writes its wall
# time, peak RSS (wait4's ru_maxrss), CPU time (user + system, of the command and its children) and exit code to OUT as JSON. An exit other than EXPECTED_EXIT is printed with
# the end of stderr; it stops the benchmark (exit 1) unless it is a verdict's exit code (0 to 3) or bad input (64).
measure() {
  python3 - "$@" <<'PY'
import json, os, subprocess, sys, time
out, expected, errfile, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
start = time.monotonic()
with open(errfile, "wb") as err:
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
    _, status, usage = os.wait4(p.pid, 0)
wall = time.monotonic() - start
code = os.waitstatus_to_exitcode(status)
if code != expected:
    tail = open(errfile, errors="replace").read().strip()[-2000:]
    print(f"bench: sigkit exited {code}, expected {expected}: {tail}", flush=True)
    if code not in (0, 1, 2, 3, 64):
        sys.exit(1)
json.dump({"wall": wall, "maxrss_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime, "exit": code},
          open(out, "w"))
PY
}
