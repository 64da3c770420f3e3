#!/usr/bin/env bash
# image-overhead-bench.sh: what `sigkit certify --image` costs over certifying an already running SSH target.
# RUNS times (default 5), with the same certify flags each time (default: --include SIG-ENV-001, so that the
# certification itself is short and equal in every mode), it measures the wall time of:
#   target   `certify --target` on a container of the reference image that is already running (started by this
#            script, as SignalingPayloadContainer starts it: the lab's init, the bus's key, host keys read back)
#   fresh    `certify --image` on a machine with only the podman command: sigkit starts Podman's API service and
#            continues in a child JVM with Testcontainers' settings (DOCKER_HOST and TESTCONTAINERS_* unset)
#   ready    `certify --image` with the engine already answering and DOCKER_HOST=unix://... and
#            TESTCONTAINERS_RYUK_DISABLED=true set (one JVM, no service start)
# and prints the median of each and the medians of the overheads fresh - target and ready - target. A benchmark, not
# a test: it never fails on a slow figure, only when a run does not end as expected.
#
#   cli-runner/bench/image-overhead-bench.sh [--runs N] [-- CERTIFY FLAGS...]
#
# Needs: root on Linux, podman runc slirp4netns uidmap debootstrap ssh-keygen python3 (apt-get install podman runc
# slirp4netns uidmap debootstrap openssh-client python3), a built jar (./mvnw -B -pl cli-runner -am package
# -DskipTests). The reference image is built (or found) by testbed/images/build-image. Everything the script starts
# (containers, the Podman service of the "ready" mode) is removed at exit.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
jar=$repo/cli-runner/target/sigkit.jar
lab=$repo/testcontainers/src/main/resources/io/sigkit/testcontainers/lab
runs=5
flags=(--include SIG-ENV-001)
while (($#)); do
  case $1 in
    --runs) runs=$2; shift ;;
    --) shift; flags=("$@"); break ;;
    -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "image-overhead-bench: unknown option '$1' (see --help)" >&2; exit 64 ;;
  esac
  shift
done
[[ -f $jar ]] || { echo "image-overhead-bench: $jar is missing: ./mvnw -B -pl cli-runner -am package -DskipTests" >&2; exit 64; }
[[ $EUID -eq 0 ]] || { echo "image-overhead-bench: needs root (podman's rootful storage)" >&2; exit 64; }
for c in podman python3 ssh-keygen; do
  command -v "$c" >/dev/null || { echo "image-overhead-bench: $c is missing" >&2; exit 64; }
done

export CONTAINERS_CONF=${CONTAINERS_CONF:-$repo/testbed/images/containers.conf}
image=$("$repo/testbed/images/build-image" --quiet)
work=$(mktemp -d /tmp/sigkit-image-bench.XXXXXX)
containers=()
service_pid=''
cleanup() {
  local c
  for c in "${containers[@]}"; do podman rm -f "$c" >/dev/null 2>&1 || true; done
  if [[ -n $service_pid ]]; then kill "$service_pid" 2>/dev/null || true; wait "$service_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

now() { python3 -c 'import time; print(time.monotonic())'; }
elapsed() { python3 -c 'import sys; print("%.2f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$1" "$2"; }
median() { python3 -c 'import statistics, sys; print("%.2f" % statistics.median(map(float, sys.argv[1:])))' "$@"; }

run_sigkit() { # run_sigkit EXPECTED-EXIT ENV... -- ARGS...; prints the wall time in seconds
  local expected=$1; shift
  local envs=()
  while [[ $1 != -- ]]; do envs+=("$1"); shift; done
  shift
  local t0 t1 rc=0
  t0=$(now)
  env "${envs[@]}" java -jar "$jar" certify "$@" "${flags[@]}" --progress none >"$work/out" 2>"$work/err" || rc=$?
  t1=$(now)
  local ok=no
  if [[ $expected == any ]]; then ((rc <= 2)) && ok=yes; elif ((rc == expected)); then ok=yes; fi
  if [[ $ok == no ]]; then
    echo "image-overhead-bench: sigkit exited $rc; stderr:" >&2
    cat "$work/err" >&2
    exit 1
  fi
  elapsed "$t0" "$t1"
}

# A running container of the image, provisioned as SignalingPayloadContainer provisions it; prints its target and
# writes its ID to $work/target-id (this runs in a subshell).
start_target() {
  local d=$work/lab$1
  mkdir -p "$d"
  cp "$lab/init" "$repo/testbed/lib/standin" "$d/"
  chmod 0755 "$d/init" "$d/standin"
  rm -f "$work/key" "$work/key.pub"
  ssh-keygen -q -t ed25519 -N '' -f "$work/key" -C sigkit-bench
  cp "$work/key.pub" "$d/authorized_key"
  local id
  id=$(podman run -d --network slirp4netns -p 127.0.0.1::22 -e SIGKIT_SIGNALING_USER=sigapi \
    -v "$d:/opt/sigkit-lab" --entrypoint /opt/sigkit-lab/init "$image" /usr/sbin/sshd -D -e)
  echo "$id" >"$work/target-id"
  local port
  port=$(podman port "$id" 22 | sed 's/.*://')
  for _ in $(seq 1 100); do
    [[ -s $d/host_keys.pub ]] && python3 - "$port" <<'PY' && break
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)
s.settimeout(1)
sys.exit(0 if s.recv(4).startswith(b"SSH-") else 1)
PY
    sleep 0.1
  done
  sed "s/^/[127.0.0.1]:$port /" "$d/host_keys.pub" >"$work/known_hosts"
  echo "ssh://sigapi@127.0.0.1:$port"
}

echo "sigkit certify --image overhead: $runs runs, image $image, flags: ${flags[*]}"
echo "java: $(java -version 2>&1 | head -1); host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

sock=$work/podman.sock
podman system service --time=0 "unix://$sock" >/dev/null 2>&1 &
service_pid=$!
for _ in $(seq 1 100); do [[ -S $sock ]] && break; sleep 0.1; done

targets=() fresh=() ready=() over_fresh=() over_ready=()
for i in $(seq 1 "$runs"); do
  target=$(start_target "$i")
  containers+=("$(cat "$work/target-id")")
  t=$(run_sigkit any -u DOCKER_HOST -- --target "$target" --identity "$work/key" --known-hosts "$work/known_hosts")
  podman rm -f "${containers[-1]}" >/dev/null
  f=$(run_sigkit any -u DOCKER_HOST -u TESTCONTAINERS_RYUK_DISABLED -u TESTCONTAINERS_CHECKS_DISABLE -- \
    --image "$image" --engine podman)
  r=$(run_sigkit any "DOCKER_HOST=unix://$sock" TESTCONTAINERS_RYUK_DISABLED=true -- --image "$image")
  targets+=("$t") fresh+=("$f") ready+=("$r")
  over_fresh+=("$(python3 -c "print($f - $t)")") over_ready+=("$(python3 -c "print($r - $t)")")
  printf 'run %d: target %ss, --image fresh %ss, --image ready %ss\n' "$i" "$t" "$f" "$r"
done
echo "median wall time: target $(median "${targets[@]}") s, --image fresh $(median "${fresh[@]}") s, --image ready $(median "${ready[@]}") s"
echo "median overhead of --image: fresh $(median "${over_fresh[@]}") s, ready $(median "${over_ready[@]}") s"
