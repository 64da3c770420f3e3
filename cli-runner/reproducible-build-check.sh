#!/usr/bin/env bash
# Proves that sigkit.jar is reproducible: builds one commit twice, from two fresh clones in two different directories,
# and compares the SHA-256 of the two sigkit.jar and of the two SBOMs. It also runs the first jar's --version, which
# must name the commit, a clean tree and the jar's own SHA-256. Both builds run under umask 022: sigkit.jar does not
# depend on the umask (checked: 077 gives the same jar), but the modules' thin jars record their directories' modes,
# and the SBOM lists those jars' hashes.
#
#   cli-runner/reproducible-build-check.sh [COMMIT] [--offline]
#
# COMMIT defaults to HEAD (committed work only: uncommitted changes are not in the clones). With --offline Maven runs
# with -o, and the CycloneDX plugin, which requires online mode, writes no SBOM (then only the jars are compared).
# Exit 0: identical; 1: the jars differ (the differing entries are listed); 2: a build failed.
set -euo pipefail

commit=HEAD
offline=
for arg in "$@"; do
    case "$arg" in
        --offline) offline=-o ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) commit=$arg ;;
    esac
done

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
sha=$(git -C "$repo" rev-parse --verify "$commit^{commit}")
work=$(mktemp -d "${TMPDIR:-/tmp}/sigkit-repro.XXXXXX")
keep=
trap '[ -n "$keep" ] && echo "left for inspection: $work" >&2 || rm -rf "$work"' EXIT

build() { # build DIR UMASK
    local dir=$1 mask=$2
    git clone --quiet --no-hardlinks "$repo" "$dir"
    git -C "$dir" checkout --quiet --detach "$sha"
    # the wrapper's own jar is not in git (.gitignore): use the checkout's, as a fresh machine would download it
    if [ -f "$repo/.mvn/wrapper/maven-wrapper.jar" ] && [ ! -f "$dir/.mvn/wrapper/maven-wrapper.jar" ]; then
        cp "$repo/.mvn/wrapper/maven-wrapper.jar" "$dir/.mvn/wrapper/"
    fi
    echo "building $sha in $dir (umask $mask)" >&2
    if ! (cd "$dir" && umask "$mask" && ./mvnw -B -q $offline -pl cli-runner -am package -DskipTests >"$dir.log" 2>&1); then
        echo "build in $dir failed; its log:" >&2
        tail -40 "$dir.log" >&2
        exit 2
    fi
}

build "$work/first" 022
build "$work/second-build-dir" 022

a=$work/first/cli-runner/target
b=$work/second-build-dir/cli-runner/target
jar_a=$(sha256sum "$a/sigkit.jar" | cut -d' ' -f1)
jar_b=$(sha256sum "$b/sigkit.jar" | cut -d' ' -f1)
sbom() { if [ -f "$1" ]; then sha256sum "$1" | cut -d' ' -f1; else echo "none (not built: offline)"; fi; }
sbom_a=$(sbom "$a/sigkit.cdx.json")
sbom_b=$(sbom "$b/sigkit.cdx.json")
echo "commit          $sha"
echo "sigkit.jar      $jar_a  (first)"
echo "sigkit.jar      $jar_b  (second)"
echo "sigkit.cdx.json $sbom_a  (first)"
echo "sigkit.cdx.json $sbom_b  (second)"
java -jar "$a/sigkit.jar" --version

status=0
if [ "$jar_a" != "$jar_b" ] || [ "$sbom_a" != "$sbom_b" ]; then
    keep=1
fi
if [ "$jar_a" != "$jar_b" ]; then
    echo "NOT reproducible: the two sigkit.jar differ; differing entries:" >&2
    mkdir -p "$work/x" "$work/y"
    (cd "$work/x" && unzip -q "$a/sigkit.jar") && (cd "$work/y" && unzip -q "$b/sigkit.jar")
    diff -rq "$work/x" "$work/y" | head -20 >&2 || true
    zipinfo -l "$a/sigkit.jar" > "$work/za" && zipinfo -l "$b/sigkit.jar" > "$work/zb"
    diff "$work/za" "$work/zb" | head -20 >&2 || true
    status=1
fi
if [ "$sbom_a" != "$sbom_b" ]; then
    echo "NOT reproducible: the two SBOMs differ, in the hashes of:" >&2
    python3 - "$a/sigkit.cdx.json" "$b/sigkit.cdx.json" >&2 <<'PY' || diff "$a/sigkit.cdx.json" "$b/sigkit.cdx.json" | head -20 >&2 || true
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
def comps(d):
    m = {d["metadata"]["component"]["bom-ref"]: d["metadata"]["component"]}
    m.update({c["bom-ref"]: c for c in d.get("components", [])})
    return m
ca, cb = comps(a), comps(b)
for ref in sorted(set(ca) | set(cb)):
    if ca.get(ref, {}).get("hashes") != cb.get(ref, {}).get("hashes"):
        print("  " + ref)
PY
    status=1
fi
if ! java -jar "$a/sigkit.jar" --version | grep -q "commit $sha (clean tree)"; then
    echo "the jar's --version does not name commit $sha on a clean tree" >&2
    status=1
fi
if ! java -jar "$a/sigkit.jar" --version | grep -q "sigkit.jar sha256 $jar_a"; then
    echo "the jar's --version does not give its own SHA-256 $jar_a" >&2
    status=1
fi
[ "$status" = 0 ] && echo "reproducible: both builds gave sigkit.jar $jar_a"
exit "$status"
