#!/usr/bin/env bash
# certify-bench.sh: runs `java -jar cli-runner/target/sigkit.jar certify` on a fresh testbed reference payload
# RUNS times (default 5) with --window-seconds 3, and prints the median wall time beside the run's physical floor, the
# peak RSS of the sigkit JVM, and the SSH sessions and exec requests the run used (from report.json). A benchmark, not
# a test: it never fails on a slow figure, only when a run does not end as expected.
#
#   cli-runner/bench/certify-bench.sh [--all-tiers] [--runs N] [--window-seconds S] [--jar JAR] [--timeline]
#                                     [-- JVM options...]
#
#   --all-tiers   also --allow-clock-set --allow-destructive (the payload records the clock set and really halts),
#                 so every REQUIRED requirement runs: verdict CONFORMANT (exit 0); default: the default tiers,
#                 verdict INCOMPLETE (exit 2: SIG-TIME-002 and SIG-END-001 are not verified without them)
#   --jar JAR     benchmark another build of the jar (e.g. an earlier commit's, to compare)
#   --timeline    also print where the time of the median run went: every progress step and requirement, with the
#                 seconds since the JVM started
#   -- OPTS       JVM options for the sigkit JVM, e.g. -- -XX:TieredStopAtLevel=1 -Xmx96m
#
# The floor of a run is what no schedule can save: the JVM's start (measured as `java -jar JAR --version` before each
# run), the SSH handshake (SIG-ENV-002's evidence), the main window's configure (SIG-CONF-001's), the window itself
# (--window-seconds) and about 0.5 s to see it end (-t has whole-second resolution).
#
# Needs: root on Linux, the testbed's apt packages (see testbed/README.md), python3, a built jar
# (./mvnw -B -pl cli-runner -am package -DskipTests). Wall time and peak RSS are measured by python3 (wait4's
# ru_maxrss of the java process), so no extra package is needed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
jar=$repo/cli-runner/target/sigkit.jar
sandbox=$repo/testbed/payload-sandbox
# shellcheck source=lib.sh
. "$here/lib.sh"
runs=5 window=3 all_tiers=no timeline=no
jvm_opts=()
while (($#)); do
  case $1 in
    --all-tiers) all_tiers=yes ;;
    --runs) runs=$2; shift ;;
    --window-seconds) window=$2; shift ;;
    --jar) jar=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift ;;
    --timeline) timeline=yes ;;
    --) shift; jvm_opts=("$@"); break ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "certify-bench: unknown option '$1' (see --help)" >&2; exit 64 ;;
  esac
  shift
done
[[ -f $jar ]] || { echo "certify-bench: $jar is missing: run ./mvnw -B -pl cli-runner -am package -DskipTests" >&2; exit 64; }
[[ $EUID -eq 0 ]] || { echo "certify-bench: the testbed needs root" >&2; exit 64; }
command -v python3 >/dev/null || { echo "certify-bench: python3 is missing (apt-get install python3)" >&2; exit 64; }

work=$(mktemp -d /tmp/sigkit-bench.XXXXXX)
name=skbench$$
cleanup() { bash "$sandbox" down --name "$name" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

expected_exit=2
tier_opts=()
up_opts=()
if [[ $all_tiers == yes ]]; then
  expected_exit=0
  tier_opts=(--allow-clock-set --allow-destructive)
  up_opts=(--halt-on-shutdown)
fi

echo "sigkit certify benchmark of $jar: $runs runs, --window-seconds $window, tiers: $([[ $all_tiers == yes ]] && echo all || echo default), JVM options: ${jvm_opts[*]:-(none)}"
echo "java: $(java -version 2>&1 | head -1); host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$runs"); do
  line=$(bash "$sandbox" up --name "$name" --port "$(free_port)" "${up_opts[@]}")
  target=$(field "$line" target); identity=$(field "$line" identity); known=$(field "$line" knownHosts)
  reports=$work/run$i
  jvm_start=$(python3 - java "${jvm_opts[@]}" -jar "$jar" --version <<'PY'
import subprocess, sys, time
start = time.monotonic()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(f"{time.monotonic() - start:.3f}")
PY
)
  measure "$work/run$i.json" "$expected_exit" "$work/run$i.progress" java "${jvm_opts[@]}" -jar "$jar" certify \
      --target "$target" --identity "$identity" --known-hosts "$known" --window-seconds "$window" "${tier_opts[@]}" \
      --report-dir "$reports" --progress json
  [[ $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["exit"])' "$work/run$i.json") == "$expected_exit" ]] \
      || { echo "certify-bench: the run did not end as expected" >&2; exit 1; }
  bash "$sandbox" down --name "$name" >/dev/null
  python3 - "$work/run$i.json" "$reports/report.json" "$i" "$jvm_start" "$window" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); r = json.load(open(sys.argv[2]))
sessions = len({e["session"] for e in r["transcript"]})
results = {x["id"]: x for x in r["results"]}
handshake = results["SIG-ENV-002"]["evidence"].get("handshakeMillis", 0) / 1000
configure = next((t["millis"] for t in results["SIG-CONF-001"].get("timings", []) if t["name"] == "to channel close"), 0) / 1000
jvm = float(sys.argv[4])
floor = jvm + handshake + configure + float(sys.argv[5]) + 0.5
m.update(verdict=r["verdict"], sessions=r["sessionsOpened"], execs=r["execRequests"],
         transcript=len(r["transcript"]), transcript_sessions=sessions, floor=floor, jvm=jvm, handshake=handshake,
         configure=configure)
json.dump(m, open(sys.argv[1], "w"))
print(f"  run {sys.argv[3]}: {m['wall']:.2f} s wall (floor {floor:.2f} s: JVM {jvm:.2f} + handshake {handshake:.2f}"
      f" + configure {configure:.2f} + window {float(sys.argv[5]):g} + 0.5), peak RSS {m['maxrss_kb']/1024:.0f} MB,"
      f" exit {m['exit']} {m['verdict']}, {m['sessions']} SSH sessions, {m['execs']} exec requests")
PY
done
python3 - "$work" "$runs" "$timeline" "$window" <<'PY'
import json, statistics, sys
runs = [json.load(open(f"{sys.argv[1]}/run{i}.json")) for i in range(1, int(sys.argv[2]) + 1)]
walls = [r["wall"] for r in runs]
rss = [r["maxrss_kb"] / 1024 for r in runs]
floors = [r["floor"] for r in runs]
print(f"median wall time {statistics.median(walls):.2f} s (min {min(walls):.2f}, max {max(walls):.2f}) with"
      f" --window-seconds {sys.argv[4]}; floor median {statistics.median(floors):.2f} s (JVM start"
      f" {statistics.median(r['jvm'] for r in runs):.2f} + handshake {statistics.median(r['handshake'] for r in runs):.2f}"
      f" + configure {statistics.median(r['configure'] for r in runs):.2f} + window {sys.argv[4]} + 0.5);"
      f" above the floor: {statistics.median(w - f for w, f in zip(walls, floors)):.2f} s")
print(f"peak RSS median {statistics.median(rss):.0f} MB, max {max(rss):.0f} MB; goal < 256 MB")
print(f"SSH sessions {sorted({r['sessions'] for r in runs})}, exec requests {sorted({r['execs'] for r in runs})}"
      f" (transcript: {sorted({r['transcript'] for r in runs})} entries over {sorted({r['transcript_sessions'] for r in runs})} sessions)")
if sys.argv[3] == "yes":
    median_run = sorted(range(len(walls)), key=lambda i: walls[i])[len(walls) // 2] + 1
    print(f"timeline of run {median_run} (s since the JVM started; the wall time adds writing the reports and the"
          f" JVM's exit):")
    for line in open(f"{sys.argv[1]}/run{median_run}.progress", errors="replace"):
        try:
            e = json.loads(line)
        except ValueError:
            continue
        t = e.get("elapsedMillis", 0) / 1000
        if e["event"] == "step":
            print(f"  {t:6.2f}  {e['description'][:110]}")
        elif e["event"] == "requirement":
            print(f"  {t:6.2f}    {e['id']} {e['outcome']}")
        else:
            print(f"  {t:6.2f}  {e['event']}")
PY
