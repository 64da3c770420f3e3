package io.sigkit.probe;

import io.sigkit.transport.ShellQuote;
import java.util.List;

/**
 * The one script that gathers the payload's facts in a single round trip: system, user and login shell, network
 * interfaces, payload_exec and its interpreter, the {@code /signaling} directories (with a create/read/remove probe
 * of each), sudo rules (for the bare commands and for the exact commands the bus runs), and the payload clock.
 *
 * <p>A {@link RemoteScript}: POSIX sh with only the tools busybox also provides; every fact is a section whose bytes
 * reach the kit unforgeable, and no payload file is ever sourced or executed (os-release is read with {@code sed};
 * the shebang is split with globbing off). Its only writes are the two probe entries, created exclusively (no
 * clobbering, no symlink followed) and removed before it ends.
 */
public final class FactsProbe {
    /** Where the spec puts the payload executable. */
    static final String PAYLOAD_EXEC = "/usr/bin/payload_exec";

    /** The clock commands whose sudo rights are asked for, bare. */
    public static final List<String> CLOCK_COMMANDS = List.of("date", "timedatectl", "hwclock");
    /** The power commands whose sudo rights are asked for, bare. */
    public static final List<String> POWER_COMMANDS = List.of("shutdown", "halt", "poweroff");

    /** Lists {@code /tmp/sigkit-*} with owner records; kept beside the bus's parser of it. */
    private static final String RUNS_CODE = OtherRuns.LIST_CODE;

    private FactsProbe() {
    }

    /**
     * The probe script.
     *
     * @param runId the run's ID, used in the probe entries' names ({@code sigkit-probe-<run>})
     * @param taskingUser the tasking user whose inbox directory is looked at (already validated)
     */
    public static RemoteScript script(String runId, String taskingUser) {
        return script(runId, taskingUser, PAYLOAD_EXEC);
    }

    /** The probe script for a payload_exec at another path (tests). */
    static RemoteScript script(String runId, String taskingUser, String payloadExec) {
        if (!runId.matches("[0-9a-f]{8,32}")) {
            throw new IllegalArgumentException("run ID must be hex, was '" + runId + "'");
        }
        RemoteScript.Builder s = RemoteScript.builder();
        s.code("PE=" + ShellQuote.quote(payloadExec) + "; RUN=" + ShellQuote.quote(runId) + "; TU="
                + ShellQuote.quote(taskingUser));
        s.section("clock-start", "date +%s%N 2>/dev/null; cut -d' ' -f1 /proc/uptime 2>/dev/null");
        s.section("uname-s", "uname -s");
        s.section("uname-srm", "uname -srm");
        s.section("os", "sed -n 's/^PRETTY_NAME=//p' /etc/os-release 2>/dev/null", 512);
        s.section("uid", "id -u");
        s.section("user", "id -un");
        s.section("groups", "id -Gn");
        s.section("login-shell", "( getent passwd \"$(id -un)\" 2>/dev/null || grep \"^$(id -un):\" /etc/passwd )"
                + " | cut -d: -f7", 1024);
        s.section("shell-exe", "readlink /proc/$$/exe 2>/dev/null");
        s.section("ssh-connection", "printf '%s\\n' \"$SSH_CONNECTION\"");
        s.section("tty", "tty 2>/dev/null || echo 'not a tty'");
        s.section("interfaces", "for i in /sys/class/net/*; do [ -e \"$i\" ] || continue;"
                + " printf '%s %s %s\\n' \"${i##*/}\" \"$(cat \"$i/operstate\" 2>/dev/null)\" \"$(cat \"$i/flags\" 2>/dev/null)\"; done",
                64 * 1024);
        s.section("addresses", "ip -o addr show 2>/dev/null || ifconfig -a 2>/dev/null", 64 * 1024);
        // payload_exec
        s.section("pe-lstat", "stat -c '%F|%a|%U|%G|%s' \"$PE\" 2>&1", 1024);
        s.section("pe-stat", "stat -L -c '%F|%a|%U|%G|%s' \"$PE\" 2>&1", 1024);
        s.section("pe-realpath", "readlink -f \"$PE\" 2>/dev/null", 4096);
        s.section("pe-executable", "if [ -x \"$PE\" ]; then echo yes; else echo no; fi");
        s.section("pe-sha256", "sha256sum \"$PE\" 2>/dev/null | cut -d' ' -f1", 128);
        s.section("pe-head", "head -c 512 \"$PE\" 2>/dev/null", 512);
        // the interpreter: words of the #! line, split with globbing off (a '*' in it must not expand)
        s.code("line=''; [ -r \"$PE\" ] && IFS= read -r line < \"$PE\" 2>/dev/null\n"
                + "interp=''; envtarget=''\n"
                + "case \"$line\" in '#!'*) set -f; set -- $(printf %s \"${line#??}\" | tr -d '\\r'); set +f;"
                + " interp=\"${1:-}\"; [ \"${interp##*/}\" = env ] && envtarget=\"${2:-}\" ;; esac");
        s.section("pe-interpreter", "printf '%s\\n' \"$interp\"", 4096);
        s.section("pe-interpreter-ok", "if [ -z \"$interp\" ]; then echo none; elif [ -f \"$interp\" ] && [ -x \"$interp\" ];"
                + " then echo yes; else echo no; fi");
        s.section("pe-env-target", "if [ -n \"$envtarget\" ]; then printf '%s %s\\n' \"$envtarget\""
                + " \"$(command -v -- \"$envtarget\" 2>/dev/null)\"; fi", 8192);
        // the /signaling directories, each with a create / read back / remove probe
        for (String dir : new String[] {"/signaling", "/signaling/inbox", "/signaling/window_configs"}) {
            String key = dir.equals("/signaling") ? "signaling" : dir.substring("/signaling/".length());
            s.section("dir-" + key, "stat -c '%F|%a|%U|%G' " + dir + " 2>&1", 1024);
            s.section("df-" + key, "df -P " + dir + " 2>/dev/null | tail -n 1", 4096);
            s.section("mount-" + key, "m=$(df -P " + dir + " 2>/dev/null | tail -n 1 | awk '{print $6}');"
                    + " [ -n \"$m\" ] && awk -v m=\"$m\" '$2==m {print $4}' /proc/mounts | tail -n 1", 4096);
            if (!dir.equals("/signaling")) {
                // created exclusively (noclobber: an existing name, a planted symlink included, is never written through)
                s.section("write-" + key, "f=" + dir + "/sigkit-probe-$RUN;"
                        + " if err=$( { ( set -C; printf '%s' \"$RUN\" > \"$f\" ); } 2>&1 ); then r=$(cat -- \"$f\" 2>&1);"
                        + " rm -f -- \"$f\" 2>/dev/null;"
                        + " if [ -e \"$f\" ]; then echo \"left\"; elif [ \"$r\" = \"$RUN\" ]; then echo ok;"
                        + " else printf 'readback %s\\n' \"$r\"; fi;"
                        + " else printf 'denied %s\\n' \"$err\"; fi", 4096);
            }
        }
        s.section("inbox-user", "if [ -d \"/signaling/inbox/$TU\" ]; then echo present; ls -A \"/signaling/inbox/$TU\" 2>/dev/null | wc -l;"
                + " elif [ -e \"/signaling/inbox/$TU\" ]; then echo not-a-directory; else echo absent; fi");
        // privileges: sudo, without a password (-n) and without a TTY; bare commands and the bus's exact commands
        s.section("sudo-path", "command -v sudo 2>/dev/null", 4096);
        s.section("sudo-list", "sudo -n -l 2>&1; echo \"exit=$?\"", 64 * 1024);
        for (String cmd : CLOCK_COMMANDS) {
            sudoAllows(s, cmd, cmd);
        }
        for (String cmd : POWER_COMMANDS) {
            sudoAllows(s, cmd, cmd);
        }
        for (var exact : SudoCommands.EXACT.entrySet()) {
            sudoAllows(s, exact.getKey(), exact.getValue());
        }
        s.section("sudo-run-date", "sudo -n date +%s 2>&1; echo \"exit=$?\"", 4096);
        // the owner records of other runs (their leftovers are recognised by these only)
        s.section("now", "date +%s");
        s.section("runs", RUNS_CODE, 2 * 1024 * 1024);
        s.section("clock-end", "date +%s%N 2>/dev/null; cut -d' ' -f1 /proc/uptime 2>/dev/null");
        return s.build();
    }

    private static void sudoAllows(RemoteScript.Builder s, String key, String commandLine) {
        s.section("sudo-allows-" + key, "sudo -n -l " + commandLine + " 2>&1; echo \"exit=$?\"", 8192);
    }
}
