#!/usr/bin/env bash
# fleet-bench.sh: certifies N fresh testbed payloads from one inventory (`sigkit certify --inventory`, one JVM) and
# compares it with certifying one payload (`sigkit certify --target`), RUNS times each (default 3), interleaved so that
# both see the same machine load. Prints, per fleet size, the median wall time of the fleet and of one payload, their
# ratio (the floor is 1.0: N payloads cost what one costs), the peak RSS and CPU time of the sigkit JVM (the testbed's
# payloads run on the same cores: the kit's own share says what a fleet of real payloads would cost it), and checks
# every verdict:
# reference payloads INCOMPLETE (default tiers), broken ones (--broken K: the last K run configure-exit-1)
# NOT_CONFORMANT naming SIG-CONF-001. A benchmark, not a test: it never fails on a slow figure; a wrong verdict is
# printed with its failing requirements, the runs go on, and the script exits 1 at the end.
#
#   cli-runner/bench/fleet-bench.sh [--sizes "1 5 10 20"] [--runs N] [--broken K] [--window-seconds S]
#                                   [--parallel P] [-- JVM options...]
#
# Needs: root on Linux, the testbed's apt packages (see testbed/README.md), python3, a built jar
# (./mvnw -B -pl cli-runner -am package -DskipTests). Wall time and peak RSS are measured by python3 (wait4's
# ru_maxrss of the java process).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
jar=$repo/cli-runner/target/sigkit.jar
sandbox=$repo/testbed/payload-sandbox
# shellcheck source=lib.sh
. "$here/lib.sh"
sizes="1 5 10 20" runs=3 window=3 broken=0 parallel=
jvm_opts=()
while (($#)); do
  case $1 in
    --sizes) sizes=$2; shift ;;
    --runs) runs=$2; shift ;;
    --broken) broken=$2; shift ;;
    --window-seconds) window=$2; shift ;;
    --parallel) parallel=$2; shift ;;
    --) shift; jvm_opts=("$@"); break ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "fleet-bench: unknown option '$1' (see --help)" >&2; exit 64 ;;
  esac
  shift
done
[[ -f $jar ]] || { echo "fleet-bench: $jar is missing: run ./mvnw -B -pl cli-runner -am package -DskipTests" >&2; exit 64; }
[[ $EUID -eq 0 ]] || { echo "fleet-bench: the testbed needs root" >&2; exit 64; }
command -v python3 >/dev/null || { echo "fleet-bench: python3 is missing (apt-get install python3)" >&2; exit 64; }

work=$(mktemp -d /tmp/sigkit-fleet-bench.XXXXXX)
prefix=fb$$
# the names of the running payloads, one a line (up runs in command substitutions: a variable would not survive)
started=$work/started
: > "$started"
down_all() {
  local name
  while read -r name; do bash "$sandbox" down --name "$name" >/dev/null 2>&1 || true; done < "$started"
  : > "$started"
}
cleanup() { down_all; rm -rf "$work"; }
trap cleanup EXIT

# up NAME [VARIANT]: starts a payload, prints its JSON line
up() {
  local opts=(--name "$1" --port "$(free_port)")
  [[ -n ${2:-} ]] && opts+=(--variant "$2")
  echo "$1" >> "$started"
  bash "$sandbox" up "${opts[@]}"
}

echo "sigkit fleet benchmark: sizes $sizes, $runs runs each, --window-seconds $window, default tiers," \
  "$broken broken (configure-exit-1), --parallel ${parallel:-default}, JVM options: ${jvm_opts[*]:-(none)}"
echo "java: $(java -version 2>&1 | head -1); host: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in $sizes; do
  for i in $(seq 1 "$runs"); do
    # one payload, as `sigkit certify --target` certifies it
    line=$(up "$prefix-one")
    target=$(field "$line" target); identity=$(field "$line" identity); known=$(field "$line" knownHosts)
    measure "$work/one-$n-$i.json" 2 "$work/one.err" java "${jvm_opts[@]}" -jar "$jar" certify --target "$target" \
        --identity "$identity" --known-hosts "$known" --window-seconds "$window" --progress none
    down_all

    # n payloads from one inventory
    : > "$work/lines"
    for k in $(seq 1 "$n"); do
      variant=
      ((k > n - broken)) && variant=configure-exit-1
      echo "$(up "$prefix-$k" $variant) ${variant:-reference}" >> "$work/lines"
    done
    python3 - "$work/lines" "$work/inv.json" "$window" <<'PY'
import json, sys
targets = []
for k, line in enumerate(open(sys.argv[1]), 1):
    payload, kind = line.rsplit(" ", 1)
    p = json.loads(payload)
    targets.append({"name": f"p{k:03d}-{kind.strip()}", "target": p["target"], "identity": p["identity"],
                    "knownHosts": p["knownHosts"]})
json.dump({"defaults": {"windowSeconds": float(sys.argv[3])}, "targets": targets}, open(sys.argv[2], "w"), indent=1)
PY
    expected=2
    ((broken > 0)) && expected=1
    rm -rf "$work/fleet"
    measure "$work/fleet-$n-$i.json" "$expected" "$work/fleet.err" java "${jvm_opts[@]}" -jar "$jar" certify --inventory "$work/inv.json" \
        --report-dir "$work/fleet" --progress none ${parallel:+--parallel "$parallel"}
    down_all
    python3 - "$work/fleet-$n-$i.json" "$work/one-$n-$i.json" "$work/fleet/fleet.json" "$n" "$i" <<'PY'
import json, sys
m, one, fleet = (json.load(open(f)) for f in sys.argv[1:4])
wrong = []
for t in fleet["targets"]:
    broken = t["name"].endswith("configure-exit-1")
    want = ("NOT_CONFORMANT", ["SIG-CONF-001"]) if broken else ("INCOMPLETE", [])
    if (t["status"], t["failed"]) != want:
        wrong.append(f'{t["name"]}: {t["status"]} {t["failed"]} {t["error"] or ""}')
for w in wrong:
    name = w.split(":")[0]
    try:
        r = json.load(open(sys.argv[3].replace("fleet.json", name + "/report.json")))
        why = "; ".join(f'{x["id"]} {x["outcome"]}: {x["message"]}' for x in r["results"]
                        if x["outcome"] in ("FAIL", "ERROR"))
    except OSError:
        why = "no report"
    print(f"  WRONG VERDICT {w}: {why}", flush=True)
m.update(wrong=len(wrong), one=one["wall"], one_rss_kb=one["maxrss_kb"], one_cpu=one["cpu"], targets=len(fleet["targets"]),
         parallel=fleet["parallel"])
json.dump(m, open(sys.argv[1], "w"))
print(f"  N={sys.argv[4]} run {sys.argv[5]}: fleet {m['wall']:.2f} s, one payload {one['wall']:.2f} s, ratio "
      f"{m['wall'] / one['wall']:.2f}, peak RSS {m['maxrss_kb'] / 1024:.0f} MB (one: {one['maxrss_kb'] / 1024:.0f} MB), "
      f"kit CPU {m['cpu']:.1f} s (one: {one['cpu']:.1f} s), "
      f"exit {m['exit']}, {m['targets'] - m['wrong']} of {m['targets']} verdicts right, load {open('/proc/loadavg').read().split()[0]}", flush=True)
PY
  done
done
python3 - "$work" "$sizes" "$runs" <<'PY'
import json, statistics, sys
work, sizes, runs = sys.argv[1], sys.argv[2].split(), int(sys.argv[3])
failed = False
print("size  fleet wall (median, min-max)   one payload   ratio (floor 1.0, goal <= 2.0)   peak RSS median (goal <= 512 MB)"
      "   kit CPU median (fleet / one)")
for n in sizes:
    rs = [json.load(open(f"{work}/fleet-{n}-{i}.json")) for i in range(1, runs + 1)]
    fleet = statistics.median(r["wall"] for r in rs)
    one = statistics.median(r["one"] for r in rs)
    ratio = statistics.median(r["wall"] / r["one"] for r in rs)
    rss = statistics.median(r["maxrss_kb"] / 1024 for r in rs)
    wrong = sum(r["wrong"] for r in rs)
    print(f"{n:>4}  {fleet:7.2f} s ({min(r['wall'] for r in rs):.2f}-{max(r['wall'] for r in rs):.2f})"
          f"       {one:7.2f} s    {ratio:5.2f}                            {rss:5.0f} MB (max {max(r['maxrss_kb'] for r in rs) / 1024:.0f})"
          f"   {statistics.median(r['cpu'] for r in rs):5.1f} s / {statistics.median(r['one_cpu'] for r in rs):4.1f} s"
          + (f"   {wrong} WRONG VERDICTS" if wrong else ""))
    failed = failed or wrong > 0
sys.exit(1 if failed else 0)
PY
