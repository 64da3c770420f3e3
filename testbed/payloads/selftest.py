#!/usr/bin/python3
"""Self-test of the reference payload and the broken variants: runs a small model of the kit's checks against each.

Two backends:
  local   (default) needs only root and util-linux: each case runs in its own mount, pid, net, uts and ipc namespaces
          on a copy-on-write overlay of / whose upper layer is a tmpfs, so nothing on the host changes. Commands
          run as the signaling user through its login shell (`SHELL -c CMD`, no TTY, stdin at EOF) exactly as the bus
          writes them; an SSH session is modelled by a TCP connection on loopback named in SSH_CONNECTION, a link cut
          by taking down the peer of a veth pair.
  sandbox runs the same checks over real SSH against `../payload-sandbox up --variant NAME` instances (OpenSSH
          client with one ControlMaster connection per session).

For every case the verdict of each check is compared with the expectation: the reference passes everything; a
variant fails its own requirement (plus its documented "alsoFails") and nothing else, except checks blocked by that
failure. Exit status 0 when every case matches.

usage: selftest.py [--backend local|sandbox] [--jobs N] [--server openssh|dropbear] [--verbose] [CASE...]
  CASE: reference, reference@dash, reference@ash, reference@netns (the sandbox's own network link) or a variant
        name (default: the references and every variant)
"""

import argparse
import json
import os
import random
import re
import selectors
import shlex
import signal
import socket
import subprocess
import sys
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_variants  # noqa: E402  (the variants' metadata, including alsoFails)

SIGNALING_USER = "sigapi"
TASKING_USER = "sigkit"            # the -u of the kit's windows
EMPTY_TASKING_USER = "sigkit-empty"  # a tasking user with nothing uplinked (no /signaling/inbox/<user>/)
PAYLOAD_EXEC = "/usr/bin/payload_exec"
CONFIGURE_BUDGET = 15.0
CONFIGURE_GRACE = 2.0
START_RETURN_BUDGET = 2.0
WINDOW_BASE = 2100000000 + random.randint(0, 899999)   # reserved ordinary test windows
WIDE_WINDOW = 9000000000000000000 + random.randint(0, 999999999)

ORDER = ["SIG-ENV-003", "SIG-FS-001", "SIG-FS-002", "SIG-FS-003", "SIG-FS-004", "SIG-FS-005", "SIG-FS-006",
         "SIG-PRIV-001", "SIG-PRIV-002", "SIG-CONF-002", "SIG-CONF-001", "SIG-CONF-003", "SIG-CONF-004",
         "SIG-CONF-005", "SIG-CFG-003", "SIG-CFG-004", "SIG-CFG-005", "SIG-START-001", "SIG-START-002",
         "SIG-START-003", "SIG-START-004", "SIG-START-005", "SIG-START-006"]
PAYLOAD_RUNS = ["SIG-FS-001", "SIG-FS-002", "SIG-FS-004"]
DEPENDS = {
    "SIG-FS-001": [], "SIG-FS-002": ["SIG-FS-001"], "SIG-FS-003": [], "SIG-FS-004": [],
    "SIG-FS-005": ["SIG-FS-003"], "SIG-FS-006": [], "SIG-PRIV-001": [], "SIG-PRIV-002": [],
    "SIG-CONF-002": PAYLOAD_RUNS,
    "SIG-CONF-001": PAYLOAD_RUNS + ["configure-ends"],
    "SIG-CONF-003": ["SIG-CONF-001", "SIG-FS-005"],
    "SIG-CONF-004": ["SIG-CONF-001"], "SIG-CONF-005": ["SIG-CONF-001"],
    "SIG-CFG-003": ["SIG-CONF-001"], "SIG-CFG-004": ["SIG-CONF-001"], "SIG-CFG-005": ["SIG-CONF-001"],
    "SIG-START-001": ["SIG-CONF-001", "SIG-CONF-003"], "SIG-START-002": ["SIG-CONF-001", "SIG-CONF-003"],
    "SIG-START-003": ["SIG-START-002"], "SIG-START-004": ["SIG-START-002"], "SIG-START-005": ["SIG-START-002"],
    "SIG-START-006": ["SIG-START-002"],
}


class Blocked(Exception):
    pass


class NotObservable(Exception):
    pass


def valid_config(tasking=None, **extra):
    params = {"tasking_parameters": tasking if tasking is not None else {}}
    params.update(extra)
    return json.dumps({"version": 1, "signal_parameters": params}, ensure_ascii=False)


# ======================================================================================================================
# Backends: run as the signaling user through the login shell, run as root, cut the link, end the session.

class Run:
    def __init__(self, rc, out, err, t_exit, t_eof, timed_out):
        self.rc, self.out, self.err, self.t_exit, self.t_eof, self.timed_out = rc, out, err, t_exit, t_eof, timed_out

    def tail(self):
        text = (self.err or "").strip().splitlines()
        return " | ".join(text[-3:])[:300]


def _collect(proc, stdin_data, timeout, eof_grace=None):
    """Feeds stdin, then reads stdout and stderr until both reach EOF and the command has exited, or until the
    timeout; then closes our ends (as a client closing the channel does). Single-threaded and non-blocking, so a
    payload that keeps the pipes open can never hold the caller. eof_grace: once the command has exited, wait at most
    this long for EOF (None: up to the timeout)."""
    started = time.monotonic()
    try:
        if stdin_data:
            proc.stdin.write(stdin_data.encode())
        proc.stdin.close()
    except OSError:
        pass
    selector = selectors.DefaultSelector()
    for key, stream in (("out", proc.stdout), ("err", proc.stderr)):
        os.set_blocking(stream.fileno(), False)
        selector.register(stream.fileno(), selectors.EVENT_READ, key)
    chunks = {"out": [], "err": []}
    eof = {}
    t_exit = None
    while True:
        now = time.monotonic() - started
        if t_exit is None and proc.poll() is not None:
            t_exit = now
        if len(eof) == 2 and t_exit is not None:
            break
        deadline = timeout
        if t_exit is not None and eof_grace is not None:
            deadline = min(deadline, t_exit + eof_grace)
        if now >= deadline:
            break
        if len(eof) == 2:
            try:
                proc.wait(timeout=min(0.05, deadline - now))
            except subprocess.TimeoutExpired:
                pass
            continue
        for key, _ in selector.select(timeout=min(0.05, deadline - now)):
            try:
                data = os.read(key.fd, 65536)
            except BlockingIOError:
                continue
            if data:
                chunks[key.data].append(data)
            else:
                eof[key.data] = time.monotonic() - started
                selector.unregister(key.fd)
    selector.close()
    for stream in (proc.stdout, proc.stderr):
        stream.close()
    timed_out = len(eof) < 2 or t_exit is None
    t_eof = max(eof.values()) if len(eof) == 2 else None
    return Run(proc.returncode if t_exit is not None else None, b"".join(chunks["out"]).decode("utf-8", "replace"),
               b"".join(chunks["err"]).decode("utf-8", "replace"), t_exit, t_eof, timed_out)


class LocalBackend:
    """Inside the case's namespaces (we are root there): the user's login shell via setuid, no SSH."""
    name = "local"
    has_link = True

    def __init__(self, user, shell):
        import pwd
        entry = pwd.getpwnam(user)
        self.uid, self.gid, self.home, self.shell = entry.pw_uid, entry.pw_gid, entry.pw_dir, entry.pw_shell
        self.groups = os.getgrouplist(user, entry.pw_gid)
        self.user = user
        self.session = None
        self.new_session()

    def new_session(self):
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        client = socket.create_connection(listener.getsockname())
        server, _ = listener.accept()
        listener.close()
        self.session = (client, server)
        self.ssh_connection = "127.0.0.1 %d 127.0.0.1 %d" % (client.getsockname()[1], server.getsockname()[1])

    def end_session(self):
        for s in self.session:
            s.close()
        self.session = None
        self.new_session()

    def user_run(self, command, stdin_data="", timeout=30.0, eof_grace=None):
        env = {"HOME": self.home, "USER": self.user, "LOGNAME": self.user, "SHELL": self.shell,
               "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/games", "LANG": "C.UTF-8",
               "SSH_CONNECTION": self.ssh_connection,
               "SSH_CLIENT": " ".join(self.ssh_connection.split()[:2] + self.ssh_connection.split()[3:])}
        proc = subprocess.Popen([self.shell, "-c", command], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd=self.home, env=env, user=self.uid, group=self.gid,
                                extra_groups=self.groups, start_new_session=True)
        return _collect(proc, stdin_data, timeout, eof_grace)

    def root_run(self, command, timeout=30.0):
        return subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, timeout=timeout)

    def link(self, state):
        subprocess.run(["ip", "link", "set", "sk1", state], check=True)

    def close(self):
        pass


class SandboxBackend:
    """A payload-sandbox instance, reached over real SSH (OpenSSH client, one ControlMaster per session)."""
    name = "sandbox"

    def __init__(self, sandbox, instance, up_json, netns):
        self.sandbox, self.instance, self.info = sandbox, instance, up_json
        self.has_link = netns
        m = re.match(r"ssh://([^@]+)@([^:]+):(\d+)$", up_json["target"])
        self.user, self.host, self.port = m.group(1), m.group(2), m.group(3)
        self.control = "/run/sigkit-selftest-%s.ctl" % instance
        self.base = ["ssh", "-p", self.port, "-i", up_json["identity"], "-o", "IdentitiesOnly=yes",
                     "-o", "UserKnownHostsFile=" + up_json["knownHosts"], "-o", "StrictHostKeyChecking=yes",
                     "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5",
                     "-o", "ServerAliveInterval=2", "-o", "ServerAliveCountMax=3", "-F", "/dev/null", "-T",
                     "-S", self.control, "%s@%s" % (self.user, self.host)]
        self.new_session()

    def new_session(self):
        subprocess.run(self.base[:-1] + ["-M", "-f", "-N", "-o", "ControlPersist=yes", self.base[-1]],
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=15)

    def end_session(self):
        subprocess.run(self.base[:-1] + ["-O", "exit", self.base[-1]], capture_output=True, timeout=10)
        self.new_session()

    def user_run(self, command, stdin_data="", timeout=30.0, eof_grace=None):
        # The OpenSSH client reports the exit status only when the channel closes: eof_grace does not apply.
        proc = subprocess.Popen(self.base + ["--", command], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, start_new_session=True)
        run = _collect(proc, stdin_data, timeout)
        if run.timed_out:
            proc.kill()
            proc.wait()
        if run.rc == 255:
            run.err = "ssh: " + run.err
        return run

    def root_run(self, command, timeout=30.0):
        return subprocess.run([self.sandbox, "exec", "--name", self.instance, "--", "/bin/sh", "-c", command],
                              capture_output=True, text=True, timeout=timeout)

    def link(self, state):
        subprocess.run([self.sandbox, "link", "--name", self.instance, state], check=True, capture_output=True)

    def close(self):
        subprocess.run(self.base[:-1] + ["-O", "exit", self.base[-1]], capture_output=True, timeout=10)


# ======================================================================================================================
# The checks: a small model of what the kit does for each requirement.

_PROCS_PY = r'''
import json, os, sys
window = sys.argv[1]
start_only = len(sys.argv) > 2       # window start processes only: not a configure (-e) or its children
found = []
for pid in os.listdir("/proc"):
    if not pid.isdigit():
        continue
    try:
        with open("/proc/%s/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        with open("/proc/%s/cmdline" % pid, "rb") as f:
            argv = [a.decode("utf-8", "replace") for a in f.read().split(b"\0") if a]
    except OSError:
        continue
    if state == "Z" or "/usr/bin/payload_exec" not in argv or (start_only and "-e" in argv):
        continue
    if any(a == "-w" and b == window for a, b in zip(argv, argv[1:])) or "-w" + window in argv:
        found.append([int(pid), " ".join(argv)])
print(json.dumps(found))
'''


class Checks:
    def __init__(self, backend, verbose=False, details=False):
        self.b = backend
        self.verbose = verbose
        self.details = details
        self.n = 0
        self.flags = {}

    # ---- helpers -------------------------------------------------------------------------------------------------
    def window(self):
        self.n += 1
        return str(WINDOW_BASE + self.n)

    def procs(self, window, start_only=True):
        """payload_exec processes of the window: window start processes, or (start_only=False) any, e.g. to kill."""
        r = self.b.root_run("/usr/bin/python3 -c %s %s%s" % (shlex.quote(_PROCS_PY), window,
                                                             " start" if start_only else ""))
        try:
            return json.loads(r.stdout)
        except ValueError:
            raise RuntimeError("cannot list processes: %s %s" % (r.stdout, r.stderr))

    def kill_window(self, window):
        for pid, _ in self.procs(window, start_only=False):
            self.b.root_run("kill -KILL %d" % pid)

    def place_config(self, window, text):
        r = self.b.user_run("cat > /signaling/window_configs/%s.json" % window, stdin_data=text, timeout=10)
        if r.rc != 0:
            raise Blocked("cannot place a window config: " + r.tail())

    def uplink(self, user, name, data="uplinked by sigkit selftest\n"):
        d = "/signaling/inbox/" + user
        r = self.b.user_run("mkdir -p %s && cat > %s/%s" % (d, d, name), stdin_data=data, timeout=10)
        if r.rc != 0:
            raise Blocked("cannot uplink a file: " + r.tail())

    def configure(self, window, user=TASKING_USER, order="spec", timeout=CONFIGURE_BUDGET + CONFIGURE_GRACE,
                  eof_grace=1.0):
        if order == "spec":
            command = "%s -u %s -e -w %s > /dev/null" % (PAYLOAD_EXEC, user, window)
        else:
            command = "%s -w %s -e -u %s > /dev/null" % (PAYLOAD_EXEC, window, user)
        run = self.b.user_run(command, timeout=timeout, eof_grace=eof_grace)
        if run.timed_out:
            self.kill_window(window)
        return command, run

    def configured_window(self, uplink=True, user=TASKING_USER, work_seconds=None):
        window = self.window()
        self.place_config(window, valid_config({"work_seconds": work_seconds} if work_seconds else None))
        if uplink:
            self.uplink(user, "sigkit-uplink-%s.bin" % window)
        _, run = self.configure(window, user=user)
        if run.rc != 0:
            raise Blocked("configure of window %s failed: rc=%s %s" % (window, run.rc, run.tail()))
        return window

    def start(self, window, end, user=TASKING_USER, timeout=START_RETURN_BUDGET + 1.0):
        command = "nohup %s -u %s -w %s -t %d &> /dev/null &" % (PAYLOAD_EXEC, user, window, end)
        return command, self.b.user_run(command, timeout=timeout)

    def running_after(self, window, since, settle=0.8):
        """payload_exec processes for the window still running `settle` s after `since` (time.monotonic()):
        a glimpse of a process that is about to die of a usage error is not evidence that it runs the window."""
        time.sleep(max(0.0, since + settle - time.monotonic()))
        return self.procs(window)

    # ---- environment and filesystem ----------------------------------------------------------------------------
    def check_SIG_ENV_003(self):
        r = self.b.user_run("test ! -t 0 && test ! -t 1 && id -un", timeout=10)
        if r.rc != 0 or r.out.strip() != self.b.user:
            return False, "login shell -c 'id -un' gave rc=%s out=%r err=%r" % (r.rc, r.out.strip(), r.tail())
        return True, "runs commands as %s without a TTY" % r.out.strip()

    def check_SIG_FS_001(self):
        r = self.b.user_run("test -f %s || { ls -l %s; readlink -f %s; exit 1; }" % ((PAYLOAD_EXEC,) * 3),
                            timeout=10)
        return r.rc == 0, "regular file" if r.rc == 0 else "not a regular file: %s" % (r.out + r.err).strip()

    FS_002_SCRIPT = r'''p=/usr/bin/payload_exec
test -x "$p" || { echo "not executable by $(id -un)"; exit 1; }
test -r "$p" || { echo "executable but not readable (fine for a binary)"; exit 0; }
IFS= read -r line < "$p" || true
case $line in
  "#!"*) ;;
  *) echo "no shebang (binary)"; exit 0 ;;
esac
cr=$(printf '\r')
case $line in *"$cr"*) echo "shebang line ends in CR (CRLF file): interpreter cannot be found"; exit 1 ;; esac
set -- ${line#??}
interp=$1
test -x "$interp" || { echo "shebang interpreter $interp is missing or not executable"; exit 1; }
case ${interp##*/} in
  env)
    shift
    while [ $# -gt 0 ] && [ "${1#-}" != "$1" ]; do shift; done
    [ $# -gt 0 ] || { echo "env shebang without a command"; exit 1; }
    command -v "$1" >/dev/null 2>&1 || { echo "shebang runs '$1' through env, not found in PATH"; exit 1; }
    echo "shebang: env $1 -> $(command -v "$1")" ;;
  *) echo "shebang: $interp" ;;
esac'''

    def check_SIG_FS_002(self):
        r = self.b.user_run(self.FS_002_SCRIPT, timeout=10)
        return r.rc == 0, (r.out + r.err).strip()

    def _dir_probe(self, directory):
        script = ('d=%s; test -d "$d" || { echo "$d is not a directory"; exit 1; }; p="$d/.sigkit-probe-$$"; '
                  'printf sigkit > "$p" && test "$(cat "$p")" = sigkit && rm -f "$p" && exit 0; '
                  'rm -f "$p" 2>/dev/null; echo "cannot create, read back and remove $p"; exit 1' % directory)
        r = self.b.user_run(script, timeout=10)
        return r.rc == 0, ("writable" if r.rc == 0 else (r.out + r.err).strip())

    def check_SIG_FS_003(self):
        return self._dir_probe("/signaling/inbox")

    def check_SIG_FS_004(self):
        return self._dir_probe("/signaling/window_configs")

    def check_SIG_FS_005(self):
        script = ('d=/signaling/inbox/%s; made=; if [ ! -d "$d" ]; then mkdir "$d" || exit 1; made=1; fi; '
                  'f="$d/sigkit-probe-$$.bin"; ok=1; printf "sigkit uplink probe" > "$f" && '
                  'test "$(cat "$f")" = "sigkit uplink probe" || ok=0; rm -f "$f"; '
                  'if [ -n "$made" ]; then rmdir "$d"; fi; test $ok = 1' % TASKING_USER)
        r = self.b.user_run(script, timeout=10)
        return r.rc == 0, ("file placed and read back" if r.rc == 0 else (r.out + r.err).strip())

    def check_SIG_FS_006(self):
        r = self.b.user_run("for p in %s /signaling /signaling/inbox /signaling/window_configs; do "
                            "test -e \"$p\" && stat -L -c '%%a %%U:%%G %%n' \"$p\"; done; true" % PAYLOAD_EXEC,
                            timeout=10)
        bad = []
        for line in r.out.splitlines():
            mode, owner, path = line.split(" ", 2)
            if int(mode, 8) & 0o002:
                bad.append("%s is world-writable (%s %s)" % (path, mode, owner))
        return not bad, ("; ".join(bad) if bad else r.out.strip().replace("\n", "; "))

    # ---- privileges ----------------------------------------------------------------------------------------------
    def _sudo_allows(self, commands):
        """True, evidence if one of the commands can run as root with no password and no TTY."""
        r = self.b.user_run("id -u", timeout=10)
        if r.out.strip() == "0":
            return True, "the signaling user is root"
        listing = self.b.user_run("sudo -n -l", timeout=10)
        if listing.rc != 0:
            return False, "sudo -n -l: rc=%s %s" % (listing.rc, listing.tail())
        reasons = []
        for command in commands:
            which = self.b.user_run("sudo -n -l %s" % command, timeout=10)
            if which.rc != 0:
                reasons.append("%s: not allowed" % command)
                continue
            path = which.out.strip().split()[0]
            verdict = _sudo_rule_verdict(listing.out, path)
            if verdict is True:
                return True, "sudo allows %s (%s) with no password and no TTY" % (command, path)
            reasons.append("%s (%s): %s" % (command, path, verdict))
        return False, "; ".join(reasons)

    def check_SIG_PRIV_001(self):
        return self._sudo_allows(["date", "hwclock", "timedatectl"])

    def check_SIG_PRIV_002(self):
        return self._sudo_allows(["shutdown", "halt", "poweroff"])

    # ---- configure -----------------------------------------------------------------------------------------------
    def check_SIG_CONF_002(self):
        window = self.window()
        self.place_config(window, valid_config())
        command, run = self.configure(window, eof_grace=None)
        self.kill_window(window)
        if run.t_exit is None:
            self.flags["configure-ends"] = False
            return False, "still running %.0f s after `%s`" % (CONFIGURE_BUDGET + CONFIGURE_GRACE, command)
        self.flags["configure-ends"] = True
        if run.t_eof is None or run.t_eof > CONFIGURE_BUDGET:
            return False, ("exit status %s after %.2f s, but the channel stayed open %s"
                           % (run.rc, run.t_exit, "past the budget" if run.t_eof is None else "%.1f s" % run.t_eof))
        return True, "exit %.3f s, channel closed %.3f s" % (run.t_exit, run.t_eof)

    def _configure_ok(self, window, **kw):
        command, run = self.configure(window, **kw)
        if run.rc == 0:
            return True, "`%s` exited 0" % command
        return False, "`%s` exited %s: %s" % (command, run.rc, run.tail())

    def check_SIG_CONF_001(self):
        window = self.window()
        self.place_config(window, valid_config())
        return self._configure_ok(window)

    def check_SIG_CONF_003(self):
        window = self.window()
        self.place_config(window, valid_config())
        name = "sigkit-uplink-%s.bin" % window
        self.uplink(TASKING_USER, name)
        ok, detail = self._configure_ok(window)
        left = self.b.user_run("test -e /signaling/inbox/%s/%s" % (TASKING_USER, name), timeout=10).rc == 0
        if left:   # the kit removes what it created, so that later windows do not trip over it
            self.b.user_run("rm -f /signaling/inbox/%s/%s" % (TASKING_USER, name), timeout=10)
        return ok, detail + ("; the uplinked file was left in the inbox" if left else "; the uplinked file was taken")

    def check_SIG_CONF_004(self):
        window = str(WIDE_WINDOW)
        self.place_config(window, valid_config())
        return self._configure_ok(window)

    def check_SIG_CONF_005(self):
        window = self.window()
        self.place_config(window, valid_config())
        return self._configure_ok(window, order="reversed")

    def check_SIG_CFG_003(self):
        window = self.window()
        self.place_config(window, valid_config(
            tasking={"key1": "some value", "nested": {"a": [1, 2.5, None]}},
            lunch_money=1.72, greeting="hello, world! \u00e9\u00e8 \u2603 \U0001F6F0", bus_state={"mode": 3},
            pass_ids=[1, "two", None], spare=None, eclipse=False, sigkit_extra_number=-12.5e3))
        return self._configure_ok(window)

    def check_SIG_CFG_004(self):
        window = self.window()
        self.b.user_run("rm -f /signaling/window_configs/%s.json" % window, timeout=10)
        command, run = self.configure(window)
        if run.rc not in (0, None):
            return True, "refused: exit %s: %s" % (run.rc, run.tail())
        return False, "`%s` exited %s with no config file" % (command, run.rc)

    def check_SIG_CFG_005(self):
        accepted = []
        evidence = []
        for label, text in (("malformed JSON", '{"version": 1, "signal_parameters": {"a": 1,}'),
                            ("version 2", json.dumps({"version": 2, "signal_parameters": {}}))):
            window = self.window()
            self.place_config(window, text)
            _, run = self.configure(window)
            if run.rc == 0:
                accepted.append(label)
            evidence.append("%s: exit %s %s" % (label, run.rc, run.tail()))
        if accepted:
            return False, "accepted " + " and ".join(accepted)
        return True, "; ".join(evidence)

    # ---- window start --------------------------------------------------------------------------------------------
    def check_SIG_START_001(self):
        window = self.configured_window()
        command, run = self.start(window, int(time.time()) + 6)
        time.sleep(0.2)
        self.kill_window(window)
        if run.t_eof is None or run.t_eof > START_RETURN_BUDGET:
            return False, "`%s` through %s: the channel was still open after %s" % (
                command, self.b.__dict__.get("shell", "the login shell"),
                "%.1f s" % run.t_eof if run.t_eof else "%.0f s (gave up)" % (START_RETURN_BUDGET + 1))
        return True, "returned in %.3f s" % run.t_eof

    def check_SIG_START_002(self):
        window = self.configured_window()
        end = int(time.time()) + 6
        signalled = time.monotonic()
        self.start(window, end)
        found = self.running_after(window, signalled)
        self.kill_window(window)
        if found:
            return True, "running 0.8 s after the signal: pid %d: %s" % tuple(found[0])
        # Diagnostic run: the same start, in the foreground, with its exit status and stderr.
        window = self.configured_window()
        end = int(time.time()) + 4
        run = self.b.user_run("%s -u %s -w %s -t %d < /dev/null" % (PAYLOAD_EXEC, TASKING_USER, window, end),
                              timeout=8)
        self.kill_window(window)
        if run.rc == 0:
            return True, "not observed running, but its diagnostic run exited 0 after %.2f s" % run.t_exit
        return False, "no payload_exec for window %s; diagnostic run exited %s: %s" % (window, run.rc, run.tail())

    def check_SIG_START_003(self):
        window = self.configured_window(work_seconds=9)   # long enough to outlast a start that holds the channel
        signalled = time.monotonic()
        self.start(window, int(time.time()) + 10)
        if not self.running_after(window, signalled):
            raise Blocked("payload_exec for window %s was not running before the session ended" % window)
        self.b.end_session()
        time.sleep(1.0)
        found = self.procs(window)
        self.kill_window(window)
        if found:
            return True, "still running 1 s after the session ended"
        return False, "payload_exec for window %s was gone 1 s after the SSH session ended" % window

    def check_SIG_START_004(self):
        window = self.configured_window()
        end = int(time.time()) + 3
        self.start(window, end)
        time.sleep(max(0.0, end + 1.5 - time.time()))
        found = self.procs(window)
        self.kill_window(window)
        if found:
            return False, "payload_exec for window %s still running 1.5 s after its end time" % window
        return True, "ended by the end time + 1.5 s"

    def check_SIG_START_005(self):
        self.b.root_run("rm -rf /signaling/inbox/%s" % EMPTY_TASKING_USER)
        window = self.configured_window(uplink=False, user=EMPTY_TASKING_USER)
        end = int(time.time()) + 4
        run = self.b.user_run("%s -u %s -w %s -t %d < /dev/null" % (PAYLOAD_EXEC, EMPTY_TASKING_USER, window, end),
                              timeout=8)
        self.kill_window(window)
        if run.rc == 0:
            return True, "diagnostic run with no inbox directory exited 0"
        return False, "diagnostic run with no /signaling/inbox/%s exited %s: %s" % (
            EMPTY_TASKING_USER, run.rc, run.tail())

    def check_SIG_START_006(self):
        if not self.b.has_link:
            raise NotObservable("needs a link-down hook (--netns)")
        window = self.configured_window(work_seconds=9)
        signalled = time.monotonic()
        self.start(window, int(time.time()) + 10)
        if not self.running_after(window, signalled):
            raise Blocked("payload_exec for window %s was not running before the link went down" % window)
        self.b.link("down")
        try:
            time.sleep(1.5)
        finally:
            self.b.link("up")
        time.sleep(0.3)
        found = self.procs(window)
        self.kill_window(window)
        self.b.end_session()
        if found:
            return True, "still running after 1.5 s without link"
        return False, "payload_exec for window %s was gone after the link was down for 1.5 s" % window

    # ---- details of the reference payload (not requirements: how a careful payload behaves) -----------------------
    def reference_details(self):
        """(name, ok, detail) for behaviours the reference README promises."""
        out = []
        pe, u = PAYLOAD_EXEC, TASKING_USER

        def configure_as(args, config=valid_config(), window=None):
            window = window or self.window()
            self.place_config(window, config)
            run = self.b.user_run("%s %s > /dev/null" % (pe, args.format(w=window, u=u)), timeout=10)
            return run

        for args in ("-e -w {w} -u {u}", "-u {u} -w {w} -e", "-u{u} -e -w{w}", "-u {u} -e -w {w} --future-flag 3",
                     "-x -u {u} -e -w {w}"):
            run = configure_as(args)
            out.append(("configure " + args, run.rc == 0, "exit %s %s" % (run.rc, run.tail())))
        bad_args = ["-u {u} -e", "-e -w {w}", "-u {u} -e -w 18446744073709551616", "-u {u} -e -w -5",
                    "-u {u} -e -w 12abc", "-u ../etc -e -w {w}", "-u {u} -e -w {w} -u"]
        for args in bad_args:
            run = configure_as(args)
            lines = run.err.strip().splitlines()
            out.append(("refuses " + args, run.rc == 2 and len(lines) == 1,
                        "exit %s, stderr %d line(s): %s" % (run.rc, len(lines), run.tail())))
        refused = [("version true", '{"version": true, "signal_parameters": {}}'),
                   ("version 1.0", '{"version": 1.0, "signal_parameters": {}}'),
                   ('version "1"', '{"version": "1", "signal_parameters": {}}'),
                   ("no version", '{"signal_parameters": {}}'),
                   ("NaN", '{"version": 1, "signal_parameters": {"x": NaN}}'),
                   ("top-level array", '[{"version": 1, "signal_parameters": {}}]'),
                   ("no signal_parameters", '{"version": 1}'),
                   ("signal_parameters array", '{"version": 1, "signal_parameters": []}'),
                   ("empty file", ""),
                   ("invalid UTF-8", '{"version": 1, "signal_parameters": {"x": "\udcff"}}')]
        for label, text in refused:
            window = self.window()
            if label == "invalid UTF-8":
                r = self.b.user_run("printf '{\"version\": 1, \"signal_parameters\": {\"x\": \"\\377\"}}' "
                                    "> /signaling/window_configs/%s.json" % window, timeout=10)
                run = self.b.user_run("%s -u %s -e -w %s > /dev/null" % (pe, u, window), timeout=10)
            else:
                run = configure_as("-u {u} -e -w {w}", config=text, window=window)
            lines = run.err.strip().splitlines()
            out.append(("refuses config: " + label, run.rc == 1 and len(lines) == 1,
                        "exit %s: %s" % (run.rc, run.tail())))
        run = configure_as("-u {u} -e -w {w}", config="\ufeff" + valid_config())
        out.append(("accepts a config with a UTF-8 BOM", run.rc == 0, "exit %s %s" % (run.rc, run.tail())))
        # repeated configure of one window with the same file uplinked twice: both kept
        window = self.window()
        self.place_config(window, valid_config())
        for _ in range(2):
            self.uplink(u, "sigkit-twice.bin")
            run = self.b.user_run("%s -u %s -e -w %s > /dev/null" % (pe, u, window), timeout=10)
        kept = self.b.root_run("ls /var/lib/payload/%s/uplink" % window).stdout.split()
        out.append(("repeated configure keeps both uplinked copies", run.rc == 0 and
                    kept == ["sigkit-twice.bin", "sigkit-twice.bin.1"], "exit %s, uplink/: %s" % (run.rc, kept)))
        # start after its end time: exit 0 at once, no process
        window = self.configured_window(uplink=False)
        run = self.b.user_run("%s -u %s -w %s -t %d < /dev/null" % (pe, u, window, int(time.time()) - 5), timeout=10)
        out.append(("start after the end time exits 0 at once", run.rc == 0 and run.t_eof is not None and
                    run.t_eof < 1.0 and not self.procs(window), "exit %s in %s s" % (run.rc, run.t_eof)))
        run = self.b.user_run("%s -u %s -w %s < /dev/null" % (pe, u, window), timeout=10)
        out.append(("start without -t is refused", run.rc == 2, "exit %s %s" % (run.rc, run.tail())))
        # never past -t, even with a long work_seconds; result.json written
        window = self.configured_window(work_seconds=60)
        end = int(time.time()) + 2
        self.start(window, end)
        time.sleep(max(0.0, end - time.time()))
        found = self.procs(window)
        result = self.b.root_run("cat /var/lib/payload/%s/result.json" % window).stdout
        try:
            status = json.loads(result)["status"]
        except ValueError:
            status = None
        out.append(("done by the end time, result.json completed", not found and status == "completed",
                    "running at the end time: %s; result status %s" % (bool(found), status)))
        self.kill_window(window)
        # SIGTERM ends the window early and cleanly
        window = self.configured_window(work_seconds=30)
        self.start(window, int(time.time()) + 30)
        pids = self.running_after(window, time.monotonic(), 0.5)
        for pid, _ in pids:
            self.b.root_run("kill -TERM %d" % pid)
        time.sleep(0.6)
        result = self.b.root_run("cat /var/lib/payload/%s/result.json" % window).stdout
        try:
            status = json.loads(result)["status"]
        except ValueError:
            status = None
        out.append(("SIGTERM ends the window as 'terminated'", bool(pids) and not self.procs(window) and
                    status == "terminated", "pids %s, then status %s" % ([p for p, _ in pids], status)))
        self.kill_window(window)
        log = self.b.root_run("grep -c 'ignoring unknown arguments' /var/log/payload_exec.log").stdout.strip()
        out.append(("unknown options are logged", log not in ("", "0"), "%s log line(s)" % log))
        return out

    # ---- driver --------------------------------------------------------------------------------------------------
    def run_all(self, only=None):
        results = {}
        for rid in ORDER:
            if only and rid not in only:
                continue
            blockers = []
            for dep in DEPENDS.get(rid, []) + (["SIG-ENV-003"] if rid != "SIG-ENV-003" else []):
                if dep == "configure-ends":
                    if self.flags.get("configure-ends") is False:
                        blockers.append("SIG-CONF-002")
                elif dep in results and results[dep][0] in ("FAIL", "BLOCKED"):
                    blockers.append(results[dep][2] if results[dep][0] == "BLOCKED" else dep)
            if blockers:
                results[rid] = ("BLOCKED", "blocked by " + blockers[0], blockers[0])
                continue
            started = time.monotonic()
            try:
                ok, detail = getattr(self, "check_" + rid.replace("-", "_"))()
                results[rid] = ("PASS" if ok else "FAIL", detail, None)
            except Blocked as e:
                results[rid] = ("BLOCKED", str(e), "setup")
            except NotObservable as e:
                results[rid] = ("NOT_OBSERVABLE", str(e), None)
            except Exception as e:  # a defect of this self-test, reported as such
                results[rid] = ("ERROR", "%s: %s" % (type(e).__name__, e), None)
                if self.verbose:
                    traceback.print_exc()
            if self.verbose:
                print("  %-14s %-8s %5.1fs %s" % (rid, results[rid][0], time.monotonic() - started,
                                                  results[rid][1][:160]), file=sys.stderr)
        if self.details:
            for name, ok, detail in self.reference_details():
                results["REF " + name] = ("PASS" if ok else "FAIL", detail, None)
        return results


def _sudo_rule_verdict(listing, path):
    """True if, per `sudo -n -l`, `path` runs with no password and no TTY; else the reason (a string)."""
    section = None
    requiretty_global = False
    rule = None
    for raw in listing.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("Matching Defaults entries"):
            section = "defaults"
            continue
        if line.startswith("Runas and Command-specific defaults"):
            section = "cmd-defaults"
            continue
        if re.match(r"User \S+ may run the following commands", line):
            section = "rules"
            continue
        if section == "defaults" and re.search(r"(^|[ ,])requiretty", line):
            requiretty_global = True
        if section == "cmd-defaults" and line.startswith("Defaults!"):
            commands, _, options = line[len("Defaults!"):].partition(" ")
            while commands.endswith(",") and options:
                more, _, options = options.partition(" ")
                commands += more
            if path in [c.strip() for c in commands.split(",")] and re.search(r"(^|[ ,])requiretty", options):
                return "requires a TTY (Defaults!... requiretty)"
        if section == "rules":
            m = re.match(r"\(([^)]*)\)\s*(.*)$", line)
            if not m:
                continue
            tags = set()
            for item in m.group(2).split(", "):
                parts = item.split(": ")
                for tag in parts[:-1]:
                    tags.add(tag.strip())
                    if tag.strip() == "NOPASSWD":
                        tags.discard("PASSWD")
                    if tag.strip() == "PASSWD":
                        tags.discard("NOPASSWD")
                command = parts[-1].strip().split(" ")[0]
                if command in (path, "ALL"):
                    rule = set(tags)   # the last matching rule wins, as in sudoers
    if requiretty_global:
        return "requires a TTY (Defaults requiretty)"
    if rule is None:
        return "no matching rule in sudo -l"
    if "NOPASSWD" not in rule:
        return "needs a password"
    return True


# ======================================================================================================================
# Cases and expectations

def all_cases():
    # variants whose fault only the kit's process tracking shows (modelled=False) are not modelled here: the Java
    # kit's own tests run them (BrokenVariantsTests, StartTruthVariantsTests)
    return ["reference", "reference@dash", "reference@ash", "reference@netns"] + \
        [v["name"] for v in make_variants.VARIANTS if v.get("modelled", True)]


def case_variant(case):
    for v in make_variants.VARIANTS:
        if v["name"] == case:
            return v
    return None


def case_options(case):
    """(shell, sudo mode, netns, variant dict or None)"""
    shell, sudo, netns = "bash", "passwordless", False
    variant = case_variant(case)
    if case == "reference@netns":
        netns = True
    elif case in ("reference@dash", "reference@ash"):
        shell = case.split("@", 1)[1]
    elif variant is None and case != "reference":
        raise SystemExit("selftest: unknown case %s (known: %s)" % (case, ", ".join(all_cases())))
    options = list(variant.get("upOptions", [])) if variant else []
    i = 0
    while i < len(options):
        o = options[i]
        if o == "--shell":
            shell = options[i + 1]
            i += 1
        elif o == "--no-sudo":
            sudo = "none"
        elif o == "--sudo-password":
            sudo = "password"
        elif o == "--sudo-requiretty":
            sudo = "requiretty"
        elif o == "--netns":
            netns = True
        elif o == "--server":
            i += 1           # pinned server: the local backend has no server; the sandbox backend keeps it
        else:
            raise SystemExit("selftest: %s: upOption %s is not modelled" % (case, o))
        i += 1
    return shell, sudo, netns, variant


def compare(case, results):
    """List of mismatches between results and the expectation for this case."""
    variant = case_variant(case)
    expected = set()
    if variant and variant.get("requirement") and variant.get("expectedOutcome", "FAIL") == "FAIL":   # hostile-* and truth-* PASS variants: as the reference
        expected = {variant["requirement"]} | set(variant.get("alsoFails", []))
    problems = []
    for rid, (outcome, detail, blocker) in results.items():
        if outcome == "ERROR":
            problems.append("%s ERROR (self-test defect): %s" % (rid, detail))
        elif rid in expected and outcome != "FAIL":
            problems.append("%s expected FAIL, got %s: %s" % (rid, outcome, detail))
        elif rid not in expected and outcome == "FAIL":
            problems.append("%s unexpected FAIL: %s" % (rid, detail))
        elif outcome == "BLOCKED" and blocker not in expected:
            problems.append("%s BLOCKED by %s, which is not this case's flaw: %s" % (rid, blocker, detail))
    for rid in expected:
        if rid not in results:
            problems.append("%s (the flaw) was not checked" % rid)
    return problems


# ======================================================================================================================
# local backend: build the case's instance inside fresh namespaces

def sh(command, **kw):
    return subprocess.run(command, shell=True, check=True, **kw)


def inside(case, verbose):
    """Runs as PID 1 of fresh mount/pid/net/uts/ipc namespaces (started by run_local)."""
    shell, sudo, netns, variant = case_options(case)
    sh("mount -t tmpfs -o mode=0755 sigkit-selftest /mnt")
    sh("mkdir -p /mnt/upper /mnt/work /mnt/root")
    sh("mount -t overlay overlay -o lowerdir=/,upperdir=/mnt/upper,workdir=/mnt/work /mnt/root")
    sh("mount -t proc proc /mnt/root/proc && mount --rbind /dev /mnt/root/dev && "
       "mount -t tmpfs tmpfs /mnt/root/tmp && mount -t tmpfs -o mode=0755 tmpfs /mnt/root/run")
    sh("mkdir -p /mnt/root/.oldroot && cd /mnt/root && pivot_root . .oldroot && umount -l /.oldroot && "
       "rmdir /.oldroot")
    os.chdir("/")
    # provision, as the sandbox does (see ../lib/provision.sh)
    sh("hostname sigkit-selftest && sed -i '/^127\\.0\\.1\\.1/d' /etc/hosts && "
       "printf '127.0.1.1\\tsigkit-selftest\\n' >> /etc/hosts")
    sh("ip link set lo up && ip link add sk0 type veth peer name sk1 && ip addr add 10.99.0.2/24 dev sk0 && "
       "ip addr add 10.99.0.1/24 dev sk1 && ip link set sk0 up && ip link set sk1 up")
    login = {"bash": "/bin/bash", "dash": "/bin/dash", "ash": "/bin/ash"}[shell]
    if shell == "ash":
        sh("ln -sfn \"$(command -v busybox)\" /usr/bin/ash")
    sh("grep -qxF %s /etc/shells || echo %s >> /etc/shells" % (login, login))
    sh("useradd -m -s %s %s && usermod -p '*' %s" % (login, SIGNALING_USER, SIGNALING_USER))
    sh("install -d -m 0755 -o root -g root /signaling && install -d -m 0755 -o %s -g %s /signaling/inbox "
       "/signaling/window_configs" % (SIGNALING_USER, SIGNALING_USER))
    rules = {"passwordless": "%s ALL=(ALL:ALL) NOPASSWD: ALL\n" % SIGNALING_USER,
             "password": "%s ALL=(ALL:ALL) ALL\n" % SIGNALING_USER,
             "requiretty": "Defaults:%s requiretty\n%s ALL=(ALL:ALL) NOPASSWD: ALL\n" % ((SIGNALING_USER,) * 2),
             "none": None}[sudo]
    if sudo == "password":
        sh("echo %s:%s | chpasswd" % (SIGNALING_USER, "sel%05d" % random.randint(0, 99999)))
    if rules:
        with open("/etc/sudoers.d/sigkit-testbed", "w") as f:
            f.write(rules)
        os.chmod("/etc/sudoers.d/sigkit-testbed", 0o440)
    payload = os.path.join(HERE, "reference", "payload_exec")
    vdir = os.path.join(HERE, "variants", variant["name"]) if variant else None
    if vdir and os.path.isfile(os.path.join(vdir, "payload_exec")):
        payload = os.path.join(vdir, "payload_exec")
    sh("install -m 0755 -o root -g root %s %s" % (shlex.quote(payload), PAYLOAD_EXEC))
    env = dict(os.environ, SIGKIT_USER=SIGNALING_USER)
    for hook in [os.path.join(HERE, "reference", "install.sh")] + ([os.path.join(vdir, "setup.sh")] if vdir else []):
        if os.path.isfile(hook):
            r = subprocess.run([hook], cwd=os.path.dirname(hook), env=env, capture_output=True, text=True)
            if r.returncode != 0:
                print(json.dumps({"case": case, "error": "%s failed: %s" % (hook, r.stderr.strip())}))
                return 1
    backend = LocalBackend(SIGNALING_USER, shell)
    backend.shell_name = shell
    results = Checks(backend, verbose, details=case.startswith("reference")).run_all()
    print(json.dumps({"case": case, "results": results}))
    sys.stdout.flush()
    return 0


def run_local(case, verbose):
    started = time.monotonic()
    command = ["unshare", "--mount", "--pid", "--net", "--uts", "--ipc", "--fork", "--kill-child",
               "--propagation", "private", "--", "/usr/bin/python3", os.path.abspath(__file__), "--inside", case]
    if verbose:
        command.append("--verbose")
    proc = subprocess.run(command, capture_output=True, text=True, timeout=600)
    return parse_case_output(case, proc.stdout, proc.stderr, proc.returncode, time.monotonic() - started)


def parse_case_output(case, stdout, stderr, rc, seconds):
    for line in stdout.splitlines():
        if line.startswith("{"):
            doc = json.loads(line)
            if "error" in doc:
                return case, None, ["setup failed: " + doc["error"]], seconds, stderr
            return case, doc["results"], compare(case, doc["results"]), seconds, stderr
    return case, None, ["no result (exit %s): %s" % (rc, (stderr or "").strip()[-800:])], seconds, stderr


# ======================================================================================================================
# sandbox backend

def run_sandbox(case, index, server, verbose):
    started = time.monotonic()
    sandbox = os.path.join(os.path.dirname(HERE), "payload-sandbox")
    shell, sudo, netns, variant = case_options(case)
    name = "selftest-%d-%d" % (os.getpid() % 10000, index)
    port = 24000 + (os.getpid() % 200) * 40 + index
    args = [sandbox, "up", "--name", name, "--port", str(port), "--owner-pid", str(os.getpid())]
    if "--server" not in (variant or {}).get("upOptions", []):
        args += ["--server", server]     # a variant that pins its server keeps it (its flaw shows only there)
    if variant:
        args += ["--variant", variant["name"]]
    else:
        args += ["--shell", shell] + (["--netns"] if netns else [])
    up = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if up.returncode != 0:
        return case, None, ["payload-sandbox up failed (%d): %s" % (up.returncode, up.stderr.strip())], \
            time.monotonic() - started, ""
    backend = None
    try:
        info = json.loads(up.stdout.strip().splitlines()[-1])
        backend = SandboxBackend(sandbox, name, info, netns)
        backend.shell_name = info["shell"]
        results = Checks(backend, verbose, details=case.startswith("reference")).run_all()
        return case, results, compare(case, results), time.monotonic() - started, up.stderr
    finally:
        if backend:
            backend.close()
        subprocess.run([sandbox, "down", "--name", name], capture_output=True, timeout=60)


# ======================================================================================================================

def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["local", "sandbox"], default="local")
    parser.add_argument("--server", choices=["openssh", "dropbear"], default="openssh")
    parser.add_argument("--jobs", type=int, default=6)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--json", help="also write every result to this file")
    parser.add_argument("--inside", help=argparse.SUPPRESS)
    parser.add_argument("cases", nargs="*")
    options = parser.parse_args(argv)
    if options.inside:
        return inside(options.inside, options.verbose)
    if os.geteuid() != 0:
        print("selftest: must run as root (it creates namespaces and users inside them)", file=sys.stderr)
        return 3
    if not sys.platform.startswith("linux"):
        print("selftest: Linux only", file=sys.stderr)
        return 3
    check = subprocess.run([sys.executable, os.path.join(HERE, "make_variants.py"), "--check"],
                           capture_output=True, text=True)
    if check.returncode != 0:
        print(check.stderr.strip() + "\nselftest: run ./make_variants.py first", file=sys.stderr)
        return 1
    cases = options.cases or all_cases()
    for case in cases:
        case_options(case)

    def one(item):
        index, case = item
        try:
            if options.backend == "local":
                return run_local(case, options.verbose)
            return run_sandbox(case, index, options.server, options.verbose)
        except Exception as e:
            return case, None, ["self-test defect: %s: %s" % (type(e).__name__, e)], 0.0, traceback.format_exc()

    started = time.monotonic()
    failures = 0
    report = []
    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        for case, results, problems, seconds, stderr in pool.map(one, enumerate(cases)):
            variant = case_variant(case)
            flaw = (variant.get("requirement") or "none (%s)" % variant.get("kind")) if variant else "none"
            status = "ok" if not problems else "MISMATCH"
            failures += bool(problems)
            print("%-34s %-14s %-8s %5.1fs" % (case, flaw, status, seconds))
            if results and (options.verbose or problems):
                for rid in ORDER + sorted(r for r in results if r.startswith("REF ")):
                    if rid in results:
                        outcome, detail, _ = results[rid]
                        print("    %-14s %-14s %s" % (rid, outcome, detail.replace("\n", " | ")[:150]))
            elif results and variant and variant.get("requirement"):
                outcome, detail, _ = results.get(variant["requirement"], ("?", "", None))
                print("    %-14s %-14s %s" % (variant["requirement"], outcome, detail.replace("\n", " | ")[:150]))
            for p in problems:
                print("    !! " + p.replace("\n", " | "))
            if options.verbose and stderr:
                print("    stderr: " + stderr.strip().replace("\n", "\n            ")[-2000:])
            report.append({"case": case, "flaw": flaw, "results": results, "problems": problems,
                           "seconds": round(seconds, 1)})
            sys.stdout.flush()
    print("selftest (%s backend): %d case(s), %d mismatch(es), %.0f s"
          % (options.backend, len(cases), failures, time.monotonic() - started))
    if options.json:
        with open(options.json, "w") as f:
            json.dump(report, f, indent=1)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
