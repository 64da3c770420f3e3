#!/usr/bin/python3
"""Writes the testbed's variant payloads: variants.json and variants/<name>/{payload_exec,setup.sh,README.md}.

Each variant is the reference payload with one realistic flaw. A flaw in payload_exec is written as textual edits of
reference/payload_exec (each edit must match exactly once, so a change to the reference that invalidates a variant
is caught here); a flaw of the installation is a setup.sh run as root inside the instance after the reference is
installed. The layout, the install order and the format of variants.json are in variants-contract.md; the format
is also the JSON Schema schemas/src/main/resources/io/sigkit/schemas/variants.v1.schema.json.

  ./make_variants.py            regenerate everything
  ./make_variants.py --check    exit 1 if the committed files differ from what would be generated (run by the build:
                                io.sigkit.testbed.MakeVariantsTests)
  ./make_variants.py --table    print the README's markdown tables

A variant's dict holds name, kind, requirement, level, description, upOptions, tiers (the opt-in tiers its
certification enables, for a flaw that shows only there), the flaw (edits [(old, new)], crlf or setup), a shell check
that the flaw is in place (flaw: required where payload_exec is the reference's; variants/<name>/flaw.sh), and for a
broken variant what its test asserts:
- kind "broken" (the default) violates `requirement`: the kit must FAIL it, with a message holding every word of
  `messageContains` (the cause, as the check's FAIL message names it), and may also fail, or skip as blocked, only the
  requirements of `alsoFails` [(ID, why)], where the one flaw honestly breaks those too (BrokenVariantsTests).
- kind "conformant" violates nothing. With a `requirement` it is one the kit once misjudged (the truth-* false-FAIL
  family): the kit must PASS it and certify the payload as the reference (TruthVariantsTests). Without one it is
  unusual in a way the kit once took for a violation: the kit must fail nothing (StartTruthVariantsTests).
- kind "hostile" (named hostile-*) attacks the kit instead of violating the API: no requirement, and a certification
  gives the reference's verdict (HostileVariantsTests).
WITHOUT_VARIANT lists the requirements no broken variant violates, with the reason.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, "reference", "payload_exec")
README = os.path.join("..", "README.md")                # testbed/README.md, relative to HERE: holds table()

# --- sudoers helpers for the exact-one privilege variants ---------------------------------------------------------
# The sandbox puts recording stand-ins for clock and power commands in /usr/local/sbin, first in sudo's secure_path,
# so a rule must name those paths as well as the real ones for the permitted half to keep working.
_SUDO_PREAMBLE = r'''#!/bin/sh
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
'''

_SUDO_VERIFY = r'''EOF
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
'''


def sudo_setup(rules, checks):
    return _SUDO_PREAMBLE + rules + _SUDO_VERIFY + "".join("expect %s %s\n" % c for c in checks)


# The interpreter of truth-shebang-too-long: a build server's virtualenv path, 295 bytes, so its #! line is 297.
LONG_INTERPRETER = ("/var/lib/jenkins/workspace/payload-flight-software_release-1.5-hotfix@2/.tox/py311-flight-"
                    "integration-hil/venv-3.11.2-debian12-x86_64-" + "a7f3c9e1d2b4f6a8c0e2d4f6a8b0c2e4" * 4
                    + "-build-cache-00000042/bin/python3")
assert len(LONG_INTERPRETER) == 295, len(LONG_INTERPRETER)

# --- the variants -----------------------------------------------------------------------------------------------------
# name, requirement, level, description (one sentence, used in test failure messages), upOptions, tiers,
# edits [(old, new)] | crlf | setup (setup.sh text), flaw, alsoFails [(ID, why)], messageContains [words]: see the
# docstring.

# Why a variant without working sudo fails SIG-PRIV-002 as well as SIG-PRIV-001.
NO_WORKING_SUDO = "without working sudo the signaling user can no more shut down than set the clock"

# Edits shared by more than one variant.
# configure warms the instrument up for 7 s (inside the 15 s budget).
WARM_UP_7S = ('''    user, window = args["user"], args["window"]
    started = time.monotonic()
''', '''    user, window = args["user"], args["window"]
    started = time.monotonic()
    time.sleep(7.0)                            # the instrument needs 7 s to warm up before a window
''')
# start lists the window's uplink directory before detaching: it exists only when files were uplinked.
LIST_UPLINK_BEFORE_DETACH = ('''    config = load_start_config(window)         # refused here, before detaching, the error is still visible
''', '''    config = load_start_config(window)         # refused here, before detaching, the error is still visible
    uplinked = sorted(os.listdir(os.path.join(window_dir(window), "uplink")))
    log(window, "%d uplinked file(s) to process" % len(uplinked))
''')

VARIANTS = [
    # ---- environment ------------------------------------------------------------------------------------------------
    dict(name="login-shell-nologin", requirement="SIG-ENV-003", level="REQUIRED",
         messageContains=["'true' as", "exited 1"],
         flaw='[ "$(getent passwd "$SIGKIT_USER" | cut -d: -f7)" = /usr/sbin/nologin ]',
         description="the signaling user was created as a service account with login shell /usr/sbin/nologin, "
                     "so no command can be run over SSH",
         setup='#!/bin/sh\nset -eu\nusermod -s /usr/sbin/nologin "$SIGKIT_USER"\n'),

    # ---- filesystem -------------------------------------------------------------------------------------------------
    dict(name="payload-exec-missing", requirement="SIG-FS-001", level="REQUIRED",
         messageContains=["/usr/bin/payload_exec does not exist", "No such file or directory"],
         flaw='[ ! -e /usr/bin/payload_exec ] && [ -x /usr/local/bin/payload_exec ]',
         description="payload_exec was installed as /usr/local/bin/payload_exec, not /usr/bin/payload_exec",
         setup='#!/bin/sh\nset -eu\nmkdir -p /usr/local/bin\nmv /usr/bin/payload_exec /usr/local/bin/payload_exec\n'),
    dict(name="payload-exec-dangling-link", requirement="SIG-FS-001", level="REQUIRED",
         messageContains=["/usr/bin/payload_exec does not exist", "symbolic link to a missing file"],
         flaw='[ -L /usr/bin/payload_exec ] && [ ! -e /usr/bin/payload_exec ]',
         description="/usr/bin/payload_exec is a symlink through /opt/payload/current to a release (1.5.0) "
                     "whose upload never completed, so it resolves to nothing",
         setup='#!/bin/sh\nset -eu\n'
               'mkdir -p /opt/payload/releases/1.4.2/bin\n'
               'mv /usr/bin/payload_exec /opt/payload/releases/1.4.2/bin/payload_exec\n'
               'ln -sfn /opt/payload/releases/1.5.0 /opt/payload/current   # 1.5.0 was never unpacked\n'
               'ln -s /opt/payload/current/bin/payload_exec /usr/bin/payload_exec\n'),
    dict(name="payload-exec-not-executable", requirement="SIG-FS-002", level="REQUIRED",
         messageContains=["cannot execute /usr/bin/payload_exec", "mode 0644"],
         flaw='[ "$(stat -c %a /usr/bin/payload_exec)" = 644 ]',
         description="payload_exec has mode 0644: it was copied into the image without its execute bit",
         setup='#!/bin/sh\nset -eu\nchmod 0644 /usr/bin/payload_exec\n'),
    dict(name="payload-exec-crlf", requirement="SIG-FS-002", level="REQUIRED",
         messageContains=["ends in a carriage return"],
         description="payload_exec was saved with CRLF line endings, so the kernel looks for the interpreter "
                     "'/usr/bin/python3\\r', which does not exist",
         crlf=True),
    dict(name="payload-exec-venv-interpreter", requirement="SIG-FS-002", level="REQUIRED",
         messageContains=["/opt/payload/venv/bin/python3", "does not exist or is not executable"],
         description="payload_exec's shebang names the developer's virtualenv /opt/payload/venv/bin/python3, "
                     "which was never deployed",
         edits=[("#!/usr/bin/python3\n", "#!/opt/payload/venv/bin/python3\n")]),
    dict(name="payload-exec-env-python", requirement="SIG-FS-002", level="REQUIRED",
         messageContains=["'python' is not on the PATH"],
         description="payload_exec starts with '#!/usr/bin/env python' and Debian 12 has no 'python' command "
                     "(only python3)",
         edits=[("#!/usr/bin/python3\n", "#!/usr/bin/env python\n")]),
    dict(name="inbox-not-writable", requirement="SIG-FS-003", level="REQUIRED",
         messageContains=["cannot write /signaling/inbox/", "0755 root:root", "Permission denied"],
         flaw='[ "$(stat -c \'%U %a\' /signaling/inbox)" = "root 755" ]',
         description="/signaling/inbox was created by the image build as root:root 0755 and never handed to "
                     "the signaling user",
         setup='#!/bin/sh\nset -eu\nchown root:root /signaling/inbox\nchmod 0755 /signaling/inbox\n'),
    dict(name="window-configs-missing", requirement="SIG-FS-004", level="REQUIRED",
         messageContains=["/signaling/window_configs/ does not exist"],
         flaw='[ ! -e /signaling/window_configs ]',
         description="/signaling/window_configs does not exist: the image's provisioning created only the inbox",
         setup='#!/bin/sh\nset -eu\nrm -rf /signaling/window_configs\n'),
    dict(name="window-configs-not-writable", requirement="SIG-FS-004", level="REQUIRED",
         messageContains=["cannot write /signaling/window_configs/", "0755 root:root", "Permission denied"],
         flaw='[ "$(stat -c \'%U %a\' /signaling/window_configs)" = "root 755" ]',
         description="/signaling/window_configs is root:root 0755, so the signaling user cannot place configs",
         setup='#!/bin/sh\nset -eu\nchown root:root /signaling/window_configs\n'
               'chmod 0755 /signaling/window_configs\n'),
    dict(name="inbox-user-dirs-read-only", requirement="SIG-FS-005", level="REQUIRED",
         messageContains=["could not place an uplinked file at /signaling/inbox/sigkit/", "Permission denied"],
         flaw='python3 -c \'import os; os.getxattr("/signaling/inbox", "system.posix_acl_default")\'',
         description="a default ACL on /signaling/inbox (meant to keep uplinked files read-only) makes every new "
                     "per-user directory r-x for its owner, so nothing can be written into "
                     "/signaling/inbox/<user>/",
         setup=r'''#!/bin/sh
# Default ACL u::r-x,g::r-x,o::r-x on /signaling/inbox (what `setfacl -d -m u::rx,g::rx,o::rx` would set;
# written with python3 because the acl package is not installed). The inbox itself stays writable.
set -eu
/usr/bin/python3 - <<'EOF'
import os, struct
entries = [(0x01, 5), (0x04, 5), (0x20, 5)]          # ACL_USER_OBJ, ACL_GROUP_OBJ, ACL_OTHER: r-x
acl = struct.pack("<I", 2) + b"".join(struct.pack("<HHI", tag, perm, 0xFFFFFFFF) for tag, perm in entries)
os.setxattr("/signaling/inbox", "system.posix_acl_default", acl)
EOF
'''),
    dict(name="payload-exec-world-writable", requirement="SIG-FS-006", level="RECOMMENDED",
         messageContains=["/usr/bin/payload_exec is world-writable (0777)"],
         flaw='[ "$(stat -L -c %a /usr/bin/payload_exec)" = 777 ]',
         description="payload_exec has mode 0777 (someone 'fixed' a permission error with chmod 777), "
                     "so any local user can replace what the bus runs",
         setup='#!/bin/sh\nset -eu\nchmod 0777 /usr/bin/payload_exec\n'),
    dict(name="signaling-world-writable", requirement="SIG-FS-006", level="RECOMMENDED",
         messageContains=["/signaling is world-writable (0777)", "/signaling/inbox is world-writable (0777)",
                          "/signaling/window_configs is world-writable (0777)"],
         flaw='[ "$(stat -c %a /signaling /signaling/inbox /signaling/window_configs | sort -u)" = 777 ]',
         description="/signaling, its inbox and window_configs are mode 0777 (chmod -R 777 /signaling), "
                     "so any local user can plant configs and uplinked files",
         setup='#!/bin/sh\nset -eu\nchmod 0777 /signaling /signaling/inbox /signaling/window_configs\n'),

    # ---- privileges -------------------------------------------------------------------------------------------------
    dict(name="no-sudo", requirement="SIG-PRIV-001", level="REQUIRED", upOptions=["--no-sudo"],
         messageContains=["may not alter the system clock through sudo", "date -s @1700000000"],
         flaw='[ ! -e /etc/sudoers.d/sigkit-testbed ] && ! sudo -l -U "$SIGKIT_USER" date >/dev/null 2>&1',
         description="the signaling user has no sudo rights at all",
         alsoFails=[("SIG-PRIV-002", NO_WORKING_SUDO)]),
    dict(name="sudo-password", requirement="SIG-PRIV-001", level="REQUIRED", upOptions=["--sudo-password"],
         messageContains=["may not alter the system clock through sudo", "asks for a password"],
         flaw='grep -q "(root) PASSWD: SIGKIT_CLOCK" /etc/sudoers.d/sigkit-testbed',
         description="sudo asks the signaling user for a password, which the bus cannot give",
         alsoFails=[("SIG-PRIV-002", NO_WORKING_SUDO)]),
    dict(name="sudo-requiretty", requirement="SIG-PRIV-001", level="REQUIRED", upOptions=["--sudo-requiretty"],
         messageContains=["requires a TTY", "requiretty", "cannot alter the system clock"],
         flaw='grep -qx "Defaults:$SIGKIT_USER requiretty" /etc/sudoers.d/sigkit-testbed',
         description="sudo has 'requiretty' for the signaling user and the bus runs commands without a TTY",
         alsoFails=[("SIG-PRIV-002", NO_WORKING_SUDO)]),
    dict(name="sudo-power-only", requirement="SIG-PRIV-001", level="REQUIRED",
         messageContains=["no sudo rule", "date -s @1700000000", "to alter the system clock"],
         flaw='sudo -l -U "$SIGKIT_USER" shutdown >/dev/null && ! sudo -l -U "$SIGKIT_USER" date >/dev/null',
         description="sudo lets the signaling user run shutdown, halt and poweroff but no clock command "
                     "(date, hwclock, timedatectl)",
         setup=sudo_setup('$SIGKIT_USER ALL=(root) NOPASSWD: PAYLOAD_POWER\n',
                          [("allowed", "shutdown"), ("denied", "date"), ("denied", "hwclock")])),
    dict(name="sudo-clock-only", requirement="SIG-PRIV-002", level="REQUIRED",
         messageContains=["no sudo rule", "shutdown -h now", "to halt or shut down the payload"],
         flaw='sudo -l -U "$SIGKIT_USER" date >/dev/null && ! sudo -l -U "$SIGKIT_USER" shutdown >/dev/null',
         description="sudo lets the signaling user set the clock but not run shutdown, halt or poweroff",
         setup=sudo_setup('$SIGKIT_USER ALL=(root) NOPASSWD: PAYLOAD_CLOCK\n',
                          [("allowed", "date"), ("denied", "shutdown"), ("denied", "poweroff")])),
    dict(name="sudo-clock-password", requirement="SIG-PRIV-001", level="REQUIRED",
         messageContains=["(root) PASSWD: /usr/local/sbin/date", "only with a password",
                          "cannot alter the system clock"],
         flaw='grep -q "(root) PASSWD: PAYLOAD_CLOCK" /etc/sudoers.d/50-payload-ops',
         description="the clock commands are in the signaling user's sudo rules but need a password "
                     "(`sudo -n -l date` still exits 0); power commands are passwordless",
         setup=sudo_setup('$SIGKIT_USER ALL=(root) NOPASSWD: PAYLOAD_POWER\n'
                          '# security review: changing the clock needs the operator password\n'
                          '$SIGKIT_USER ALL=(root) PASSWD: PAYLOAD_CLOCK\n',
                          [("allowed", "shutdown"), ("allowed", "date")])),
    dict(name="sudo-power-requiretty", requirement="SIG-PRIV-002", level="REQUIRED",
         messageContains=["requires a TTY", "`shutdown -h now`", "requiretty", "cannot halt or shut down the payload"],
         flaw='grep -qx "Defaults!PAYLOAD_POWER requiretty" /etc/sudoers.d/50-payload-ops',
         description="sudo has 'requiretty' for shutdown, halt and poweroff only (`sudo -n -l shutdown` still "
                     "exits 0), so the bus's shutdown without a TTY is refused",
         setup=sudo_setup('# hardening: power commands only from an interactive terminal\n'
                          'Defaults!PAYLOAD_POWER requiretty\n'
                          '$SIGKIT_USER ALL=(root) NOPASSWD: PAYLOAD_POWER, PAYLOAD_CLOCK\n',
                          [("allowed", "shutdown"), ("allowed", "date")])),

    # ---- clock and shutdown (certified with the opt-in tier that shows the flaw) ------------------------------------
    dict(name="clock-set-not-permitted", requirement="SIG-TIME-002", level="REQUIRED", tiers=["reversible"],
         messageContains=["setting the clock with", "exited 1", "cannot set date: Operation not permitted"],
         description="the payload's software runs without CAP_SYS_TIME (a container runtime's default capabilities), "
                     "so sudo allows `date -s` but the kernel refuses it: 'date: cannot set date: Operation not "
                     "permitted'",
         setup=r'''#!/bin/sh
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
''',
         flaw='/usr/local/sbin/date -s @1700000000 2>&1 | grep -q "cannot set date: Operation not permitted"'),
    dict(name="shutdown-without-systemd", requirement="SIG-END-001", level="REQUIRED", tiers=["destructive"],
         messageContains=["still answered SSH", "the command exited 1", "System has not been booted with systemd"],
         description="the payload image's init is not systemd, so `shutdown -h now` answers 'System has not been "
                     "booted with systemd as init system (PID 1). Can't operate.', exits 1, and the payload keeps "
                     "running",
         setup=r'''#!/bin/sh
# systemd's shutdown in an image whose PID 1 is not systemd (replaces the testbed's recording stand-in).
set -eu
cat > /usr/local/sbin/shutdown <<'EOF'
#!/bin/sh
echo "System has not been booted with systemd as init system (PID 1). Can't operate." >&2
echo "Failed to connect to bus: Host is down" >&2
exit 1
EOF
chmod 0755 /usr/local/sbin/shutdown
''',
         flaw='! /usr/local/sbin/shutdown -h now 2>/dev/null'),

    # ---- window configuration ---------------------------------------------------------------------------------------
    dict(name="config-rejects-unknown-keys", requirement="SIG-CFG-003", level="REQUIRED",
         messageContains=["exited 1", "signal_parameters carried bus keys it does not know"],
         description="configure validates signal_parameters strictly and exits 1 on any key other than "
                     "tasking_parameters",
         edits=[('''    if not isinstance(config.get("signal_parameters"), dict):
        raise Refusal("%s: \\"signal_parameters\\" must be a JSON object" % path)
''', '''    if not isinstance(config.get("signal_parameters"), dict):
        raise Refusal("%s: \\"signal_parameters\\" must be a JSON object" % path)
    unknown = sorted(set(config["signal_parameters"]) - {"tasking_parameters"})
    if unknown:                            # strict: catch typos in the bus's parameters early
        raise Refusal("%s: unknown signal parameter(s): %s" % (path, ", ".join(unknown)))
''')]),
    dict(name="config-missing-runs-blind", requirement="SIG-CFG-004", level="RECOMMENDED",
         messageContains=["exited 0 although", "does not exist", "would run blind"],
         description="configure falls back to default parameters and exits 0 when the window's config file "
                     "is missing",
         edits=[('''    except FileNotFoundError:
        raise Refusal("no window config at %s" % path)
''', '''    except FileNotFoundError:              # be forgiving: run the window with default parameters
        log(window, "no window config at %s: using defaults" % path)
        raw = b'{"version": 1, "signal_parameters": {}}'
''')]),
    dict(name="config-accepts-version-2", requirement="SIG-CFG-005", level="RECOMMENDED",
         messageContains=["did not refuse \"version\": 2", "exited 0"],
         description="configure accepts a config with an unsupported \"version\" (e.g. 2) with only a log line",
         edits=[('''    if version != SUPPORTED_VERSION:
        raise Refusal("%s: unsupported config version %d (this payload supports %d)"
                      % (path, version, SUPPORTED_VERSION))
''', '''    if version != SUPPORTED_VERSION:       # newer configs are supersets: try anyway
        log("-", "%s: config version %d, this payload knows %d; continuing" % (path, version, SUPPORTED_VERSION))
''')]),
    dict(name="config-not-parsed-at-configure", requirement="SIG-CFG-005", level="RECOMMENDED",
         messageContains=["did not refuse malformed JSON", "exited 0"],
         description="configure only checks that the config file exists and parses it at window start, so it "
                     "accepts malformed JSON (and any version)",
         edits=[('''    config, raw = read_config(window)
    try:
''', '''    path = os.path.join(CONFIG_DIR, window + ".json")
    if not os.path.isfile(path):
        raise Refusal("no window config at %s" % path)
    with open(path, "rb") as f:            # parsed when the window starts; configure must be quick
        raw = f.read()
    try:
'''), ('''    log(window, "configured for user %s: version %d, %d uplinked file(s) taken, %d left, %.3f s"
        % (user, config["version"], moved, left, time.monotonic() - started))
''', '''    log(window, "configured for user %s: %d uplinked file(s) taken, %d left, %.3f s"
        % (user, moved, left, time.monotonic() - started))
''')]),

    # ---- configure signal -------------------------------------------------------------------------------------------
    dict(name="configure-exit-1", requirement="SIG-CONF-001", level="REQUIRED",
         messageContains=["exited 1", "instrument calibration /etc/payload/calibration.json is missing",
                          "the bus would abort this window"],
         description="configure always exits 1 ('instrument calibration /etc/payload/calibration.json is "
                     "missing'): the payload needs a file this image does not have",
         edits=[('''    config, raw = read_config(window)
    try:
''', '''    config, raw = read_config(window)
    calibration = "/etc/payload/calibration.json"    # written by the instrument's factory calibration
    if not os.path.isfile(calibration):
        raise Refusal("instrument calibration %s is missing" % calibration)
    try:
''')]),
    dict(name="configure-e-takes-value", requirement="SIG-CONF-001", level="REQUIRED",
         messageContains=["exited 2", "argument -e: expected one argument", "the bus would abort this window"],
         description="payload_exec declares -e as an option with a value (-e EVENT), so the bus's "
                     "'-u USER -e -w ID' fails to parse ('argument -e: expected one argument')",
         edits=[('''    args = {"user": None, "window": None, "end": None, "configure": False, "ignored": []}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "-e":
            args["configure"] = True
        elif arg in _OPTIONS_WITH_VALUE:
            if i + 1 >= len(argv):
                raise UsageError("option %s needs a value" % arg)
            args[_OPTIONS_WITH_VALUE[arg]] = argv[i + 1]
            i += 1
        elif len(arg) > 2 and arg[:2] in _OPTIONS_WITH_VALUE:      # -w1304893
            args[_OPTIONS_WITH_VALUE[arg[:2]]] = arg[2:]
        else:
            # Forward compatible: a later bus may pass options this payload does not know. Logged, not fatal.
            args["ignored"].append(arg)
        i += 1
''', '''    import argparse
    parser = argparse.ArgumentParser(prog=PROG, description="Signaling API v1.0 handler")
    parser.add_argument("-u", dest="user", help="Tasking API user")
    parser.add_argument("-w", dest="window", help="window ID")
    parser.add_argument("-e", dest="event", help="signal event, e.g. -e configure")
    parser.add_argument("-t", dest="end", help="window end (UNIX time)")
    options, unknown = parser.parse_known_args(argv)
    args = {"user": options.user, "window": options.window, "end": options.end,
            "configure": options.event is not None, "ignored": unknown}
''')]),
    dict(name="configure-slow-20s", requirement="SIG-CONF-002", level="RECOMMENDED",
         messageContains=["with an empty inbox", "budget 15.00 s"],
         description="configure runs a 20 s dark-frame calibration of the instrument before it exits 0",
         edits=[('''    config, raw = read_config(window)
    try:
''', '''    config, raw = read_config(window)
    calibrate_instrument(window)
    try:
'''), ('''def configure(args):
''', '''def calibrate_instrument(window):
    """Dark-frame calibration with the shutter closed; the detector needs 20 s to settle."""
    log(window, "calibrating the instrument (20 s)")
    time.sleep(20)


def configure(args):
''')]),
    dict(name="configure-never-ends", requirement="SIG-CONF-002", level="RECOMMENDED",
         messageContains=["still running when the kit stopped waiting", "budget 15.00 s"],
         alsoFails=[("SIG-CONF-001", "a configure that never returns gives no exit status, so it never tells the bus "
                                     "the window is configured")],
         description="configure waits with no timeout for the OORT agent's socket /run/oort-agent/agent.sock, "
                     "which never appears, so it never ends",
         edits=[('''    config, raw = read_config(window)
    try:
''', '''    config, raw = read_config(window)
    wait_for_oort_agent(window)
    try:
'''), ('''def configure(args):
''', '''def wait_for_oort_agent(window):
    """Products can only be queued for downlink once the OORT agent is up."""
    log(window, "waiting for the OORT agent")
    while not os.path.exists("/run/oort-agent/agent.sock"):
        time.sleep(1)


def configure(args):
''')]),
    dict(name="configure-child-holds-stderr", requirement="SIG-CONF-002", level="RECOMMENDED",
         messageContains=["sent its exit status after", "SSH channel was still open", "kept its stdout/stderr open"],
         upOptions=["--server", "openssh"],
         description="configure forks a helper that refreshes the ephemeris for ~20 s and keeps the caller's "
                     "stderr open, so the exit status comes at once but the SSH channel closes only 20 s later "
                     "(OpenSSH; Dropbear closes the channel when the command exits)",
         edits=[('''    config, raw = read_config(window)
    try:
''', '''    config, raw = read_config(window)
    refresh_ephemeris_in_background(window)
    try:
'''), ('''def configure(args):
''', '''def refresh_ephemeris_in_background(window):
    """The ephemeris refresh takes ~20 s: do it in a child so configure itself returns quickly."""
    if os.fork() == 0:
        os.setsid()
        log(window, "refreshing the ephemeris cache")
        time.sleep(20)
        os._exit(0)


def configure(args):
''')]),
    dict(name="configure-fails-with-uplink", requirement="SIG-CONF-003", level="REQUIRED",
         messageContains=["exited 1", "with 1 uplinked file(s) in /signaling/inbox/sigkit/", "with an empty inbox"],
         description="configure moves uplinked files into /var/lib/payload/<id>/uplink/ without creating that "
                     "directory, so it exits 1 whenever something was uplinked",
         edits=[('''    uplink = os.path.join(window_dir(window), "uplink")
    os.makedirs(uplink, exist_ok=True)
    deadline = time.monotonic() + CONFIGURE_MOVE_BUDGET_S
    moved = left = 0
    for name in names:
        if time.monotonic() > deadline:
            left = len(names) - moved
            log(window, "move budget spent; %d uplinked file(s) left in %s" % (left, inbox))
            break
        source = os.path.join(inbox, name)
        try:
            move_entry(source, unique_destination(uplink, name))
            moved += 1
            log(window, "took uplinked file %s" % source)
        except OSError as e:
            left += 1                      # do not lose a window over one stray file; it stays in the inbox
            log(window, "cannot take %s: %s" % (source, e.strerror))
            print("%s: warning: cannot take uplinked file %s: %s" % (PROG, source, e.strerror), file=sys.stderr)
    return moved, left
''', '''    uplink = os.path.join(window_dir(window), "uplink")
    import shutil
    for name in names:
        shutil.move(os.path.join(inbox, name), os.path.join(uplink, name))
        log(window, "took uplinked file %s" % name)
    return len(names), 0
''')]),
    dict(name="configure-32bit-window-id", requirement="SIG-CONF-004", level="RECOMMENDED",
         messageContains=["exited 1", "struct.error", "an ID beyond 32 bits"],
         description="configure packs the window ID into a signed 32-bit field of the instrument's job header, "
                     "so it crashes (struct.error) for window IDs above 2147483647",
         edits=[('''        moved, left = take_uplinked_files(user, window)
''', '''        moved, left = take_uplinked_files(user, window)
        write_instrument_job(user, window)
'''), ('''def configure(args):
''', '''def write_instrument_job(user, window):
    """The instrument firmware reads its job from a fixed-layout header: magic, window ID, user."""
    import struct
    header = struct.pack("<4si32s", b"PJOB", int(window), user.encode()[:32])
    write_atomically(os.path.join(window_dir(window), "job.bin"), header)


def configure(args):
''')]),
    dict(name="configure-positional-args", requirement="SIG-CONF-005", level="RECOMMENDED",
         messageContains=["exited 2", "while the options in the documented order exited 0"],
         description="payload_exec reads its arguments by position, exactly as in the spec's examples, so "
                     "'-w ID -e -u USER' is rejected",
         edits=[('''    args = {"user": None, "window": None, "end": None, "configure": False, "ignored": []}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "-e":
            args["configure"] = True
        elif arg in _OPTIONS_WITH_VALUE:
            if i + 1 >= len(argv):
                raise UsageError("option %s needs a value" % arg)
            args[_OPTIONS_WITH_VALUE[arg]] = argv[i + 1]
            i += 1
        elif len(arg) > 2 and arg[:2] in _OPTIONS_WITH_VALUE:      # -w1304893
            args[_OPTIONS_WITH_VALUE[arg[:2]]] = arg[2:]
        else:
            # Forward compatible: a later bus may pass options this payload does not know. Logged, not fatal.
            args["ignored"].append(arg)
        i += 1
''', '''    # The bus calls:  -u USER -e -w ID  (configure)  or  -u USER -w ID -t END  (window start)
    args = {"user": None, "window": None, "end": None, "configure": False, "ignored": []}
    if len(argv) == 5 and argv[0] == "-u" and argv[2] == "-e" and argv[3] == "-w":
        args.update(user=argv[1], window=argv[4], configure=True)
    elif len(argv) == 6 and argv[0] == "-u" and argv[2] == "-w" and argv[4] == "-t":
        args.update(user=argv[1], window=argv[3], end=argv[5])
''')]),

    # ---- window start -----------------------------------------------------------------------------------------------
    dict(name="start-no-detach", requirement="SIG-START-001", level="REQUIRED", upOptions=["--shell", "dash", "--server", "openssh"],
         messageContains=["/bin/dash is a POSIX sh", "'&>' is not a redirection",
                          "keeps the session's stdout/stderr open"],
         alsoFails=[("SIG-START-003", "a payload_exec that keeps the session's output (dash) dies of SIGPIPE on its "
                                      "first write after the session")],
         description="start relies on the bus's 'nohup ... &' and runs the window in the foreground with the "
                     "caller's stdout/stderr, so under a POSIX sh login shell (where '&>' is not a redirection) "
                     "OpenSSH keeps the SSH channel open for the whole window",
         edits=[('''    detach()
    try:
        return run_window(user, window, end, config)
''', '''    # the bus starts us with nohup ... &: we are already in the background
    try:
        return run_window(user, window, end, config)
''')]),
    dict(name="start-end-time-iso", requirement="SIG-START-002", level="REQUIRED",
         messageContains=["exited 2", "invalid end time", "gives up on the bus's arguments"],
         alsoFails=[("SIG-START-005", "the start that SIG-START-005 checks (nothing uplinked) is refused "
                                      "for the same end time")],
         description="start expects -t as an ISO 8601 time and exits 2 ('invalid end time') on the bus's UNIX "
                     "timestamp, so the window never runs",
         edits=[('''        if not re.fullmatch(r"[0-9]+(\\.[0-9]+)?", args["end"]):
            raise UsageError("invalid end time %r (expected a UNIX timestamp)" % args["end"])
        args["end"] = float(args["end"])
''', '''        from datetime import datetime
        try:                               # e.g. -t 2021-01-27T03:31:32+00:00
            args["end"] = datetime.fromisoformat(args["end"]).timestamp()
        except ValueError:
            raise UsageError("invalid end time %r (expected ISO 8601)" % args["end"])
''')]),
    dict(name="start-dies-with-session", requirement="SIG-START-003", level="REQUIRED",
         messageContains=["had all gone", "once the SSH session that sent it had closed",
                          "does not survive the end of the bus's SSH session"],
         description="start treats the bus's SSH connection (SSH_CONNECTION) as the window's lifeline: it polls the "
                     "connection with `ss` and abandons the window as soon as the connection is gone",
         edits=[('''    while not stop["signal"]:
        remaining = finish_by - time.time()
''', '''    session = bus_session()
    while not stop["signal"]:
        if session and not session_alive(session):
            log(window, "the bus hung up: abandoning the window")
            stop["signal"] = "hangup"
            break
        remaining = finish_by - time.time()
'''), ('''def run_window(user, window, end, config):
''', '''def bus_session():
    """(client address, client port, our address, our port) of the SSH connection the signal came in on."""
    parts = os.environ.get("SSH_CONNECTION", "").split()
    return tuple(parts) if len(parts) == 4 else None


def session_alive(session):
    """True while the bus's TCP connection is established (asked of the kernel with ss, one netlink query)."""
    import subprocess
    client, client_port, local, local_port = session
    try:
        out = subprocess.run(["ss", "-Htn", "state", "established", "src", "%s:%s" % (local, local_port),
                              "dst", "%s:%s" % (client, client_port)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return True                            # cannot tell: keep working
    return bool(out.strip())


def run_window(user, window, end, config):
''')]),
    dict(name="start-overruns-end", requirement="SIG-START-004", level="RECOMMENDED",
         messageContains=["was still running", "after the window end time -t"],
         description="start ignores -t: it captures for its configured duration (5 s by default) and then packages the "
                     "products for 8 s more, so it runs past the end of any window shorter than ~13 s",
         edits=[('''    finish_by = min(end - END_MARGIN_S, began + work_seconds(config))
''', '''    finish_by = began + work_seconds(config)
'''), ('''    result["finished"] = time.time()
''', '''    if not stop["signal"]:
        log(window, "packaging products for downlink")
        time.sleep(8)                          # compressing the capture takes ~8 s on the flight computer
    result["finished"] = time.time()
''')]),
    dict(name="start-crashes-empty-inbox", requirement="SIG-START-005", level="RECOMMENDED",
         messageContains=["nothing uplinked", "exited 1", "FileNotFoundError"],
         description="start lists /var/lib/payload/<id>/uplink/ before detaching, and that directory only exists "
                     "when files were uplinked, so a window with nothing uplinked crashes with FileNotFoundError",
         edits=[LIST_UPLINK_BEFORE_DETACH]),
    dict(name="start-dies-on-link-down", requirement="SIG-START-006", level="RECOMMENDED", upOptions=["--netns"],
         messageContains=["ended", "after the link went down", "while the same start with the link up",
                          "the window's work stops when the network goes down"],
         description="start takes the loss of Ethernet carrier for a bus abort and abandons the window as soon as "
                     "the link goes down",
         edits=[('''    while not stop["signal"]:
        remaining = finish_by - time.time()
''', '''    had_link = ethernet_up()
    while not stop["signal"]:
        if had_link and not ethernet_up():
            log(window, "Ethernet link lost: the bus is powering us down, abandoning the window")
            stop["signal"] = "link down"
            break
        remaining = finish_by - time.time()
'''), ('''def run_window(user, window, end, config):
''', '''def ethernet_up():
    """True while a non-loopback network interface is up with carrier (IFF_RUNNING)."""
    import fcntl
    import socket
    import struct
    SIOCGIFFLAGS, IFF_LOOPBACK, IFF_RUNNING = 0x8913, 0x8, 0x40
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _, name in socket.if_nameindex():
            request = struct.pack("16sH22x", name.encode(), 0)
            flags = struct.unpack("16sH22x", fcntl.ioctl(s, SIOCGIFFLAGS, request))[1]
            if flags & IFF_RUNNING and not flags & IFF_LOOPBACK:
                return True
    return False


def run_window(user, window, end, config):
''')]),

    # ---- delivery profile (--profile delivery: what a flight model needs beyond the Signaling API) --------------------
    dict(name="delivery-no-oort-agent", requirement="SIG-DLV-001", level="REQUIRED",
         messageContains=["nothing accepts connections on", "could not connect to port 2005"],
         flaw='[ ! -e /usr/local/bin/oort-agent ]',
         upOptions=["--netns"],
         description="the flight model was built from the bench image, which has payload_exec but not the OORT agent, "
                     "so nothing answers the agent's SDK API on 127.0.0.1:2005",
         setup='#!/bin/sh\nset -eu\n# the bench image: the reference payload without the OORT agent\n'
               'rm -f /etc/systemd/system/multi-user.target.wants/oort-agent.service '
               '/etc/systemd/system/oort-agent.service /usr/local/bin/oort-agent\n'
               'rm -rf /var/lib/oort-agent\n'),

    dict(name="delivery-oort-agent-not-enabled", requirement="SIG-DLV-002", level="RECOMMENDED",
         messageContains=["the OORT agent is installed for boot", "but nothing enables it"],
         flaw='[ -e /etc/systemd/system/oort-agent.service ] && '
              '[ ! -e /etc/systemd/system/multi-user.target.wants/oort-agent.service ]',
         upOptions=["--netns"],
         alsoFails=[("SIG-DLV-001", "the agent is started only by its boot entry, so with none it never ran")],
         description="the OORT agent's unit is installed but was never enabled (no multi-user.target.wants link), so "
                     "it does not start when the bus powers the payload on",
         setup='#!/bin/sh\nset -eu\nrm -f /etc/systemd/system/multi-user.target.wants/oort-agent.service\n'),

    # ---- hostile to the kit: terminal control sequences (issue 9, terminal safety) ----------------------------------
    dict(name="hostile-ansi-stderr", kind="hostile",
         description="configure writes terminal control sequences on stderr (cursor up, erase line, colour, OSC 52 "
                     "clipboard, BEL, 8-bit CSI, a bare CR and a right-to-left override) before it exits 0, and the "
                     "OS name in /etc/os-release carries them too, as if to repaint the operator's screen with a fake "
                     "verdict; otherwise it is the reference",
         edits=[('''    user, window = args["user"], args["window"]
    started = time.monotonic()
''', '''    user, window = args["user"], args["window"]
    started = time.monotonic()
    paint_operator_terminal()
'''), ('''def configure(args):
''', r'''def paint_operator_terminal():
    """Terminal control sequences on stderr: the kit must show them escaped, never act on them."""
    sys.stderr.write("configure: calibrating\x1b[1A\x1b[2K\r\x1b[32mCONFORMANT\x1b[0m "
                     "\x1b]52;c;aGVsbG8=\x07\x07 \u009b2J \u202eexe.txt\n")
    sys.stderr.flush()


def configure(args):
''')],
         setup=r'''#!/bin/sh
# The OS name the kit shows in its summary carries terminal control sequences too.
set -eu
src=$(readlink -f /etc/os-release)
grep -v '^PRETTY_NAME=' "$src" > /etc/os-release.new
printf 'PRETTY_NAME="Debian GNU/Linux 12 \033[1A\033[2K\033[32mCONFORMANT\033[0m\033]52;c;aGVsbG8=\007\r\342\200\256"\n' \
    >> /etc/os-release.new
rm -f /etc/os-release
mv /etc/os-release.new /etc/os-release
chmod 0644 /etc/os-release
'''),
    # ---- verdict truth (issue 10) -----------------------------------------------------------------------------------
    # False FAILs: conformant payloads the kit once failed. kind "conformant" with a requirement: the kit must pass the
    # requirement named (the one it used to fail) and fail no REQUIRED requirement the reference passes
    # (TruthVariantsTests).
    dict(name="truth-configure-once-per-window", requirement="SIG-CONF-003", level="REQUIRED", kind="conformant",
         description="configure creates its work directory /var/lib/payload/<id> with mkdir and exits 5 when it "
                     "already exists, i.e. when the same window is configured a second time (the bus configures a "
                     "window once; the spec does not require a repeat to work)",
         edits=[('''    try:
        os.makedirs(window_dir(window), exist_ok=True)
        write_atomically(os.path.join(window_dir(window), "config.json"), raw)
''', '''    try:
        os.makedirs(DATA_DIR, exist_ok=True)
        os.mkdir(window_dir(window))       # one work directory per window: a window is configured once
    except FileExistsError:
        print("%s: window %s: work directory %s already exists" % (PROG, window, window_dir(window)),
              file=sys.stderr)
        return 5
    except OSError as e:
        raise Refusal("cannot prepare %s: %s" % (window_dir(window), e.strerror or e))
    try:
        write_atomically(os.path.join(window_dir(window), "config.json"), raw)
''')]),
    dict(name="truth-sudo-with-arguments", requirement="SIG-PRIV-001", level="REQUIRED", kind="conformant",
         flaw='sudo -l -U "$SIGKIT_USER" date -s @1700000000 >/dev/null && ! sudo -l -U "$SIGKIT_USER" date >/dev/null',
         description="sudo allows exactly the bus's commands with their arguments, as a careful integrator writes "
                     "it: `date -s *` and `shutdown -h now` (so `sudo -n -l date` and `sudo -n date +%s` are refused)",
         setup=sudo_setup('# only what the bus runs, with its arguments\n'
                          '$SIGKIT_USER ALL=(root) NOPASSWD: /usr/local/sbin/date -s *, /usr/bin/date -s *, \\\\\n'
                          '    /usr/local/sbin/shutdown -h now, /usr/sbin/shutdown -h now, /sbin/shutdown -h now\n',
                          [("denied", "date"), ("denied", "shutdown"), ("denied", "halt")])
               + 'for c in "date -s @1700000000" "shutdown -h now"; do\n'
                 '    # the command and its arguments, split on purpose\n'
                 '    sudo -l -U "$SIGKIT_USER" $c >/dev/null 2>&1 || { echo "setup.sh: sudo refuses $c" >&2; exit 1; }\n'
                 'done\n'),
    # False PASSes: broken payloads the kit once passed.
    dict(name="truth-configure-slow-with-uplink", requirement="SIG-CONF-002", level="RECOMMENDED",
         messageContains=["with 1 uplinked file(s) in /signaling/inbox/sigkit/", "ran", "budget 15.00 s"],
         description="configure checks every uplinked file against the instrument's catalogue, which takes 16 s "
                     "whenever the inbox holds a file (the bus's normal case); with an empty inbox it is quick",
         edits=[('''    config, raw = read_config(window)
    try:
''', '''    config, raw = read_config(window)
    verify_uplinked_files(user, window)
    try:
'''), ('''def configure(args):
''', '''def verify_uplinked_files(user, window):
    """Checks every uplinked file against the instrument catalogue; the catalogue lookup takes 16 s."""
    try:
        names = os.listdir(os.path.join(INBOX_DIR, user))
    except OSError:
        return
    if names:
        log(window, "verifying %d uplinked file(s) against the catalogue" % len(names))
        time.sleep(16)


def configure(args):
''')]),
    dict(name="truth-shebang-too-long", requirement="SIG-FS-002", level="REQUIRED",
         messageContains=["the #! line of /usr/bin/payload_exec is 297 bytes", "reads only the first 256 bytes"],
         description="payload_exec's #! line names the build's virtualenv interpreter by its full path, 297 bytes "
                     "long; that interpreter exists, but Linux reads only the first 256 bytes of a script, so exec "
                     "fails with ENOEXEC (and a shell then runs the Python file as shell commands)",
         edits=[("#!/usr/bin/python3\n", "#!" + LONG_INTERPRETER + "\n")],
         setup='#!/bin/sh\nset -eu\n# the build server\'s virtualenv, deployed with the payload\n'
               'mkdir -p "$(dirname ' + LONG_INTERPRETER + ')"\n'
               'ln -s /usr/bin/python3 ' + LONG_INTERPRETER + '\n'),
]


# ---- hostile to the kit: forged output, forged process lines, a flood of stderr (issue 9) ----------------------------
VARIANTS += [
    dict(name="hostile-forged-output", kind="hostile",
         description="configure prints lines that imitate the kit's own scripts (old-style @@sigkit markers, a process "
                     "line naming PID 1, a timing sample, a forged nonce and hex) on its stdout and stderr and into its "
                     "calling shell's own output (/proc/PPID/fd/1); otherwise it is the reference",
         edits=[('''    user, window = args["user"], args["window"]
    started = time.monotonic()
''', '''    user, window = args["user"], args["window"]
    started = time.monotonic()
    forge_kit_output(window)
'''), ('''def configure(args):
''', r'''def forge_kit_output(window):
    # Output that imitates the kit's scripts: the kit must never read it as its own.
    forged = ("\n@@sigkit:uid\n0\n@@sigkit:processes\n1 /usr/bin/payload_exec\x01-w\x01%s\x01\n0 0 1 1 2 2\n"
              "@@sigkit:00000000000000000000000000000000:uid\n0\n00000000000000000000000000000000:begin\n"
              "0a40407369676b69743a\n" % (window,))
    for fd in (1, 2):
        try:
            os.write(fd, forged.encode())
        except OSError:
            pass
    try:
        with open("/proc/%d/fd/1" % os.getppid(), "w") as parent:   # the calling shell's own output
            parent.write(forged)
    except OSError:
        pass


def configure(args):
''')]),
    dict(name="hostile-forged-process", kind="hostile",
         description="every start leaves a 3 s decoy process whose arguments hold a newline and a forged process "
                     "line claiming that PID 1 is this window's payload_exec (a kit that parses listings line by line "
                     "would kill the payload's init); otherwise it is the reference",
         edits=[('''    config = load_start_config(window)         # refused here, before detaching, the error is still visible
''', '''    config = load_start_config(window)         # refused here, before detaching, the error is still visible
    plant_decoy_process(window)
'''), ('''def start(args):
''', r'''def plant_decoy_process(window):
    # A short-lived process whose arguments forge a process listing's line: PID 1 as this window's payload_exec.
    forged = "decoy\n1 /usr/bin/payload_exec\x01-u\x01sigkit\x01-w\x01%s\x01-t\x011\x01\n" % (window,)
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            if os.fork() == 0:
                null = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                os.execv("/bin/sh", ["sh", "-c", "sleep 3; :", forged, "x"])
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def start(args):
''')]),
    dict(name="hostile-huge-stderr", kind="hostile",
         description="configure writes 50 MB of diagnostics to stderr (the spec allows stderr output) before it exits "
                     "0; otherwise it is the reference",
         edits=[('''    user, window = args["user"], args["window"]
    started = time.monotonic()
''', '''    user, window = args["user"], args["window"]
    started = time.monotonic()
    flood_stderr()
'''), ('''def configure(args):
''', r'''def flood_stderr():
    # 50 MB on stderr: a kit must neither store nor wait on all of it.
    chunk = b"configure: verbose instrument diagnostics " + b"." * 981 + b"\n"
    out = sys.stderr.buffer
    for _ in range(50 * 1024):
        out.write(chunk)
    out.flush()


def configure(args):
''')]),
]


# ---- verdict truth (issue 10): start-signal cases -----------------------------------------------------------------
VARIANTS += [
    # ---- verdict truth (issue 10): the window's work, not the launcher -----------------------------------------------
    # false PASS: each breaks its requirement in work the launcher's exit status does not show
    dict(name="truth-detached-crash-empty-inbox", requirement="SIG-START-005", level="RECOMMENDED",
         messageContains=["nothing uplinked", "the start itself exited 0", "the window's work dies without an inbox"],
         description="start detaches properly, and only then lists /var/lib/payload/<id>/uplink/, which configure "
                     "creates only when files were uplinked: with nothing uplinked the detached work dies of "
                     "FileNotFoundError at once, while the start itself exited 0",
         edits=[('''    try:
        names = sorted(os.listdir(uplink))
    except FileNotFoundError:
        names = []                             # nothing was uplinked: the window runs without input files
''', '''    names = sorted(os.listdir(uplink))        # configure made it when it took the uplinked files
''')]),
    dict(name="truth-worker-overruns", requirement="SIG-START-004", level="RECOMMENDED",
         messageContains=["/usr/bin/python3 -c", "was still running", "after the window end time -t"],
         description="start detaches and hands the window to a capture worker (`python3 -c ...`, its job in the "
                     "environment, so its command line names neither payload_exec nor the window) that keeps to its "
                     "own schedule and works until 4 s after the end time -t",
         edits=[('''    detach()
    try:
        return run_window(user, window, end, config)
''', '''    detach()
    try:
        return hand_to_worker(user, window, end)
'''), ('''def start(args):
''', '''WORKER = \"\"\"
import json, os, time
job = json.loads(os.environ["PAYLOAD_JOB"])
# the capture pipeline keeps to its own schedule: it finishes its last frame 4 s after the window's end
time.sleep(max(0.0, job["end"] + 4.0 - time.time()))
\"\"\"


def hand_to_worker(user, window, end):
    \"\"\"Starts the capture worker for the window and returns: the worker does the window's work.\"\"\"
    import subprocess
    env = dict(os.environ, PAYLOAD_JOB=json.dumps({"user": user, "window": window, "end": end}))
    worker = subprocess.Popen([sys.executable, "-c", WORKER], env=env, stdin=subprocess.DEVNULL, close_fds=True)
    log(window, "handed to capture worker %d" % worker.pid)
    return 0


def start(args):
''')]),
    dict(name="truth-aborts-after-link-down-3s", requirement="SIG-START-006", level="RECOMMENDED",
         messageContains=["after the link went down", "while the same start with the link up",
                          "the window's work stops when the network goes down"],
         upOptions=["--netns"],
         description="start tolerates short Ethernet glitches but abandons the window once the link has been down for "
                     "3 s, taking that for the bus powering the network down",
         edits=[('''    while not stop["signal"]:
        remaining = finish_by - time.time()
''', '''    had_link = ethernet_up()
    down_since = None
    while not stop["signal"]:
        if had_link and not ethernet_up():
            down_since = down_since or time.time()
            if time.time() - down_since >= 3.0:
                log(window, "Ethernet down for 3 s: the bus is powering us down, abandoning the window")
                stop["signal"] = "link down"
                break
        else:
            down_since = None
        remaining = finish_by - time.time()
'''), ('''def run_window(user, window, end, config):
''', '''def ethernet_up():
    \"\"\"True while a non-loopback network interface is up with carrier (IFF_RUNNING).\"\"\"
    import fcntl
    import socket
    import struct
    SIOCGIFFLAGS, IFF_LOOPBACK, IFF_RUNNING = 0x8913, 0x8, 0x40
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _, name in socket.if_nameindex():
            request = struct.pack("16sH22x", name.encode(), 0)
            flags = struct.unpack("16sH22x", fcntl.ioctl(s, SIOCGIFFLAGS, request))[1]
            if flags & IFF_RUNNING and not flags & IFF_LOOPBACK:
                return True
    return False


def run_window(user, window, end, config):
''')]),
    dict(name="truth-configure-7s-crash-empty-inbox", requirement="SIG-START-005",
         messageContains=["nothing uplinked", "exited 1", "FileNotFoundError"],
         level="RECOMMENDED",
         description="configure warms the instrument up for 7 s (inside the budget), and start lists "
                     "/var/lib/payload/<id>/uplink/, which exists only when files were uplinked, so a window with "
                     "nothing uplinked crashes with FileNotFoundError (a kit that reads the start's outcome at a "
                     "fixed time finds it still in configure and takes that for running)",
         edits=[WARM_UP_7S, LIST_UPLINK_BEFORE_DETACH]),
    # false FAIL: conformant payloads the kit must not fail (kind="conformant": no requirement, see the docstring)
    dict(name="truth-configure-7s", kind="conformant",
         description="configure warms the instrument up for 7 s before it takes the uplinked files, inside the 15 s "
                     "budget; otherwise it is the reference",
         edits=[WARM_UP_7S]),
    dict(name="truth-daemon-handoff", kind="conformant",
         description="a resident daemon (payloadd, started at boot as the signaling user) does every window's work in "
                     "its own threads: start checks the window, queues it in /var/lib/payload/spool/ and exits 0, so "
                     "no process of the window exists for the kit to see",
         edits=[('''    detach()
    try:
        return run_window(user, window, end, config)
    except Exception as e:                     # the log is the only place a detached window can report to
        log(window, "failed: %s: %s" % (type(e).__name__, e))
        return 1
''', '''    # payloadd, the resident daemon, does the work: queue the window for it
    job = {"user": user, "window": window, "end": end, "work_seconds": work_seconds(config)}
    write_atomically(os.path.join(DATA_DIR, "spool", window + ".job"), json.dumps(job).encode())
    log(window, "queued for payloadd")
    return 0
''')],
         setup=r'''#!/bin/sh
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
'''),
]

# Requirements no broken variant violates, and why: their FAIL paths are proven by unit tests of the checks.
WITHOUT_VARIANT = [
    ("SIG-ENV-001", "Every instance runs Linux: a payload cannot be made \"not Linux\" here; the check is proven with a faked uname answer by EnvironmentChecksTests.SIG_ENV_001_fails_when_uname_says_another_kernel (conformance-core, canned facts)"),
    ("SIG-ENV-002", "Every instance is its SSH server (PID 1); without one there is no instance. Test with a closed "
                    "port or a non-SSH listener"),
    ("SIG-ENV-004", "The session itself proves a link: with `--netns` it arrives on `eth0`; without, on loopback in "
                    "the host's network namespace, whose other interfaces are up. An instance with no interface up "
                    "cannot be reached. Note for the check: without `--netns` the session's interface is `lo`"),
    ("SIG-CFG-001", "An obligation of the bus (here: the kit), which writes the configs; test `validate` with files"),
    ("SIG-CFG-002", "An obligation of the bus (here: the kit), which writes the configs; test `validate` with files"),
    ("SIG-TIME-001", "The realtime clock is shared with the host and may not be set from an instance (time namespaces "
                     "offset only the monotonic and boot-time clocks), so no instance can have a skewed clock"),
]

KINDS = ("broken", "conformant", "hostile")
LEVELS = ("REQUIRED", "RECOMMENDED", "INFO")
# What a variant's dict may hold; "kind" is "broken" when absent.
KEYS = frozenset(("name", "kind", "requirement", "level", "description", "upOptions", "alsoFails", "messageContains",
                  "edits", "crlf", "setup", "flaw", "tiers"))
# The opt-in tiers a variant's certification may enable, and the sigkit option of each.
TIER_FLAGS = {"reversible": "--allow-clock-set", "destructive": "--allow-destructive"}
TIERS = tuple(TIER_FLAGS)
# variants/<name>/flaw.sh: exits 0 when the flaw is in place (VariantStartsTests runs it as root inside the instance,
# with SIGKIT_USER set); required where payload_exec is the reference's, whose flaw no checksum shows.
FLAW_SH = """#!/bin/sh
# Exits 0 when variant %s has its flaw (run as root inside the instance, SIGKIT_USER set: VariantStartsTests).
set -u
%s
"""


def kind(v):
    return v.get("kind", "broken")


def entry(v):
    """The variants.json entry of a variant (format: variants-contract.md); exits naming the variant if malformed."""
    def bad(why):
        raise SystemExit("make_variants: %s: %s" % (v.get("name"), why))
    unknown = sorted(set(v) - KEYS)
    if unknown:
        bad("unknown key(s): %s" % ", ".join(unknown))
    k = kind(v)
    if k not in KINDS:
        bad("kind %r is not one of %s" % (k, ", ".join(KINDS)))
    if k == "hostile" and (not v["name"].startswith("hostile-") or v.get("requirement")):
        bad("a hostile variant is named hostile-* and has no requirement")
    if k == "broken" and not v.get("requirement"):
        bad("a broken variant names the requirement it violates")
    if bool(v.get("requirement")) != bool(v.get("level")) or v.get("level", LEVELS[0]) not in LEVELS:
        bad("a requirement comes with its level, one of %s" % ", ".join(LEVELS))
    if k != "broken" and (v.get("alsoFails") or v.get("messageContains")):
        bad("only a broken variant has alsoFails or messageContains")
    words = v.get("messageContains", [])
    if k == "broken" and (not words or not all(isinstance(w, str) and w.strip() for w in words)):
        bad("a broken variant names the cause words its FAIL message must hold (messageContains)")
    e = {"name": v["name"], "kind": k}
    if v.get("requirement"):
        e.update(requirement=v["requirement"], level=v["level"], expectedOutcome="FAIL" if k == "broken" else "PASS")
    e["description"] = v["description"]
    if v.get("upOptions"):
        e["upOptions"] = list(v["upOptions"])
    if v.get("tiers"):
        if not set(v["tiers"]) <= set(TIERS) or len(set(v["tiers"])) != len(v["tiers"]):
            bad("tiers are some of %s, each once" % ", ".join(TIERS))
        e["tiers"] = list(v["tiers"])
    if k == "broken":
        also = []
        for requirement, why in v.get("alsoFails", []):
            if requirement == v["requirement"] or not why.strip():
                bad("alsoFails names another requirement, with why: %s" % requirement)
            also.append({"requirement": requirement, "why": why})
        e["alsoFails"] = also
        e["messageContains"] = list(words)
    return e


def variant_payload(variant, reference):
    if variant.get("crlf"):
        return reference.replace("\n", "\r\n")
    text = reference
    for old, new in variant.get("edits", []):
        count = text.count(old)
        if count != 1:
            raise SystemExit("make_variants: %s: an edit matches %d times in reference/payload_exec (expected 1):\n%s"
                             % (variant["name"], count, old[:200]))
        text = text.replace(old, new)
    try:
        compile(text, "variants/%s/payload_exec" % variant["name"], "exec")
    except SyntaxError as e:
        raise SystemExit("make_variants: %s: the edited payload_exec is not Python: %s" % (variant["name"], e))
    return text


def conformant(v):
    return kind(v) == "conformant"


def hostile(v):
    return kind(v) == "hostile"


def variant_readme(v):
    how = []
    if v.get("crlf"):
        how.append("`payload_exec`: the reference payload_exec with CRLF line endings.")
    if v.get("edits"):
        how.append("`payload_exec`: the reference payload_exec with %d edit(s) (see `make_variants.py`)."
                   % len(v["edits"]))
    if v.get("setup"):
        how.append("`setup.sh`: run as root inside the instance after the payload is installed.")
    if v.get("upOptions"):
        how.append("`payload-sandbox up` options: `%s`." % " ".join(v["upOptions"]))
    if v.get("tiers"):
        how.append("certified with %s (BrokenVariantsTests)." % ", ".join("`%s`" % TIER_FLAGS[t] for t in v["tiers"]))
    if v.get("flaw"):
        how.append("`flaw.sh`: exits 0 when the flaw is in place (run by VariantStartsTests).")
    how = "\n".join("- " + h for h in how)
    footer = "Generated by `../../make_variants.py`; edit that, not this directory.\n"
    if conformant(v) and not v.get("requirement"):
        return ("# %s\n\nConformant, though unusual: %s. It violates no requirement: the kit must fail no requirement "
                "for it (see StartTruthVariantsTests).\n\n%s\n\n%s" % (v["name"], v["description"], how, footer))
    if hostile(v):
        return ("# %s\n\nHostile to the kit, not to the API: %s. It violates no requirement: a certification gives "
                "the reference's verdict.\n\n%s\n\n%s" % (v["name"], v["description"], how, footer))
    if conformant(v):
        return ("# %s\n\nConformant, though unlike the reference: %s. The kit must pass %s (%s) on it and fail no "
                "requirement the reference passes.\n\n%s\n\n%s" % (v["name"], v["description"], v["requirement"],
                                                                  v["level"], how, footer))
    also = "".join("\nAlso fails %s: %s.\n" % (requirement, why) for requirement, why in v.get("alsoFails", []))
    return ("# %s\n\nViolates %s (%s): %s.\n%s\nThe kit's FAIL message must name the cause: %s.\n\n%s\n\n%s"
            % (v["name"], v["requirement"], v["level"], v["description"], also,
               ", ".join("'%s'" % w for w in v["messageContains"]), how, footer))


def generated_files():
    with open(REFERENCE, newline="") as f:
        reference = f.read()
    files = {}
    entries = []
    for v in VARIANTS:
        entries.append(entry(v))
        base = os.path.join("variants", v["name"])
        if v.get("edits") or v.get("crlf"):
            files[os.path.join(base, "payload_exec")] = (variant_payload(v, reference), 0o755)
        if v.get("setup"):
            files[os.path.join(base, "setup.sh")] = (v["setup"], 0o755)
        if v.get("flaw"):
            files[os.path.join(base, "flaw.sh")] = (FLAW_SH % (v["name"], v["flaw"]), 0o755)
        elif not (v.get("edits") or v.get("crlf")):
            raise SystemExit("make_variants: %s: a flaw outside payload_exec needs a check that it is in place (flaw)"
                             % v["name"])
        if not (v.get("edits") or v.get("crlf") or v.get("setup") or v.get("upOptions")):
            raise SystemExit("make_variants: %s changes nothing" % v["name"])
        files[os.path.join(base, "README.md")] = (variant_readme(v), 0o644)
    names = [v["name"] for v in VARIANTS]
    if len(set(names)) != len(names):
        raise SystemExit("make_variants: duplicate variant names")
    violated = {v["requirement"] for v in VARIANTS if kind(v) == "broken"}
    without = [{"requirement": requirement, "why": why} for requirement, why in WITHOUT_VARIANT]
    both = sorted(violated & {w["requirement"] for w in without})
    if both:
        raise SystemExit("make_variants: WITHOUT_VARIANT lists requirements a variant violates: " + ", ".join(both))
    document = {"variants": entries, "withoutVariant": without}
    files[README] = (readme_with_tables(), 0o644)
    files["variants.json"] = (json.dumps(document, indent=2, ensure_ascii=False) + "\n", 0o644)
    return files


def table():
    def options(v):
        parts = ["`%s`" % " ".join(v["upOptions"])] if v.get("upOptions") else []
        parts += ["certified with `%s`" % TIER_FLAGS[t] for t in v.get("tiers", [])]
        return ", ".join(parts) or "—"

    def cell(text):
        return text.replace("|", "\\|")

    rows = ["| variant | requirement | level | `up` options | what is wrong |", "|---|---|---|---|---|"]
    for v in VARIANTS:
        if kind(v) == "broken":
            also = "".join(" Also fails %s: %s." % a for a in v.get("alsoFails", []))
            rows.append("| `%s` | %s | %s | %s | %s.%s |" % (v["name"], v["requirement"], v["level"], options(v),
                                                            cell(v["description"]), cell(also)))
    rows += ["", "| hostile variant | `up` options | what it does to the kit |", "|---|---|---|"]
    for v in VARIANTS:
        if hostile(v):
            rows.append("| `%s` | %s | %s. |" % (v["name"], options(v), cell(v["description"])))
    rows += ["", "| conformant variant | must pass | `up` options | what is unusual |", "|---|---|---|---|"]
    for v in VARIANTS:
        if conformant(v) and v.get("requirement"):
            rows.append("| `%s` | %s | %s | %s. |" % (v["name"], v["requirement"], options(v), cell(v["description"])))
    rows += ["", "| conformant variant | `up` options | what is unusual about it |", "|---|---|---|"]
    for v in VARIANTS:
        if conformant(v) and not v.get("requirement"):
            rows.append("| `%s` | %s | %s. |" % (v["name"], options(v), cell(v["description"])))
    rows += ["", "| ID | why no variant |", "|---|---|"]
    for requirement, why in WITHOUT_VARIANT:
        rows.append("| %s | %s. |" % (requirement, cell(why)))
    return "\n".join(rows)


def readme_with_tables():
    """testbed/README.md with each of table()'s tables in place of the README's table with the same header line."""
    with open(os.path.join(HERE, README), newline="") as f:
        lines = f.read().split("\n")
    for rows in (t.split("\n") for t in table().split("\n\n")):
        if rows[0] not in lines:
            raise SystemExit("make_variants: %s has no table headed '%s'" % (README, rows[0]))
        first = lines.index(rows[0])
        end = first
        while end < len(lines) and lines[end].startswith("|"):
            end += 1
        lines[first:end] = rows
    return "\n".join(lines)


def main(argv):
    if "--table" in argv:
        print(table())
        return 0
    files = generated_files()
    check = "--check" in argv
    stale = []
    for rel, (content, mode) in sorted(files.items()):
        path = os.path.join(HERE, rel)
        try:
            with open(path, newline="") as f:
                current = f.read()
            current_mode = os.stat(path).st_mode & 0o777
        except FileNotFoundError:
            current, current_mode = None, None
        if current == content and current_mode == mode:
            continue
        stale.append(rel)
        if not check:
            os.makedirs(os.path.dirname(path) or HERE, exist_ok=True)
            with open(path, "w", newline="") as f:
                f.write(content)
            os.chmod(path, mode)
    variants_dir = os.path.join(HERE, "variants")
    known = {v["name"] for v in VARIANTS}
    extra = sorted(set(os.listdir(variants_dir)) - known) if os.path.isdir(variants_dir) else []
    for name in extra:
        stale.append(os.path.join("variants", name) + " (not a variant)")
    if check:
        if stale:
            print("make_variants: out of date: " + ", ".join(stale), file=sys.stderr)
            return 1
        print("make_variants: %d variants up to date" % len(VARIANTS))
        return 0
    for name in extra:
        print("make_variants: warning: variants/%s is not a variant; remove it" % name, file=sys.stderr)
    print("make_variants: wrote %d file(s) for %d variants" % (len(stale), len(VARIANTS)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
