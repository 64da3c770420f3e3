package io.sigkit.probe;

import io.sigkit.bus.Cleanup;
import io.sigkit.bus.SatelliteBus;
import io.sigkit.bus.Shell;
import io.sigkit.bus.Window;

/**
 * The one script that gathers the payload's facts in a single round trip: system, user and login shell, network
 * interfaces, payload_exec and its interpreter, the {@code /signaling} directories (with a create/read/remove probe
 * of each), sudo rules, the payload clock, and kit-made leftovers of earlier runs.
 *
 * <p>Written for POSIX sh with only the tools busybox also provides ({@code stat -c}, {@code od}, {@code df -P},
 * {@code sha256sum}); every fact is printed under its own {@link Sections} marker and parsed defensively by
 * {@link PayloadFacts}. Its only writes are the two probe entries, removed before it ends.
 */
public final class FactsProbe {
    private FactsProbe() {
    }

    /**
     * The probe script.
     *
     * @param runId the run's ID, used in the probe entries' names ({@code sigkit-probe-<run>})
     * @param taskingUser the tasking user whose inbox directory is looked at
     */
    public static String script(String runId, String taskingUser) {
        String pe = SatelliteBus.PAYLOAD_EXEC;
        StringBuilder s = new StringBuilder();
        s.append("PE=").append(Shell.quote(pe)).append("; RUN=").append(Shell.quote(runId))
                .append("; TU=").append(Shell.quote(taskingUser)).append('\n');
        s.append("S=$(printf '\\001'); CR=$(printf '\\r')\n");
        section(s, "clock-start", "date +%s%N 2>/dev/null; cut -d' ' -f1 /proc/uptime 2>/dev/null");
        section(s, "uname-s", "uname -s");
        section(s, "uname-srm", "uname -srm");
        section(s, "os", "( . /etc/os-release 2>/dev/null && echo \"$PRETTY_NAME\" )");
        section(s, "uid", "id -u");
        section(s, "user", "id -un");
        section(s, "groups", "id -Gn");
        section(s, "login-shell", "( getent passwd \"$(id -un)\" 2>/dev/null || grep \"^$(id -un):\" /etc/passwd )"
                + " | cut -d: -f7");
        section(s, "shell-exe", "readlink /proc/$$/exe 2>/dev/null");
        section(s, "ssh-connection", "echo \"$SSH_CONNECTION\"");
        section(s, "tty", "tty 2>/dev/null || echo 'not a tty'");
        section(s, "interfaces", "for i in /sys/class/net/*; do [ -e \"$i\" ] || continue;"
                + " echo \"${i##*/} $(cat \"$i/operstate\" 2>/dev/null) $(cat \"$i/flags\" 2>/dev/null)\"; done");
        section(s, "addresses", "ip -o addr show 2>/dev/null || ifconfig -a 2>/dev/null");
        // payload_exec
        section(s, "pe-lstat", "stat -c '%F|%a|%U|%G|%s' \"$PE\" 2>&1");
        section(s, "pe-stat", "stat -L -c '%F|%a|%U|%G|%s' \"$PE\" 2>&1");
        section(s, "pe-realpath", "readlink -f \"$PE\" 2>/dev/null");
        section(s, "pe-executable", "if [ -x \"$PE\" ]; then echo yes; else echo no; fi");
        section(s, "pe-sha256", "sha256sum \"$PE\" 2>/dev/null | cut -d' ' -f1");
        section(s, "pe-head-hex", "head -c 256 \"$PE\" 2>/dev/null | head -n 1 | od -An -tx1 | tr -d ' \\n'; echo");
        s.append("line=''; [ -r \"$PE\" ] && IFS= read -r line < \"$PE\" 2>/dev/null\n");
        s.append("interp=''; envtarget=''\n");
        s.append("case \"$line\" in '#!'*) set -- $(printf %s \"${line#??}\" | tr -d '\\r'); interp=\"$1\";"
                + " [ \"${interp##*/}\" = env ] && envtarget=\"$2\" ;; esac\n");
        section(s, "pe-interpreter", "echo \"$interp\"");
        section(s, "pe-interpreter-ok", "if [ -z \"$interp\" ]; then echo none; elif [ -f \"$interp\" ] && [ -x \"$interp\" ];"
                + " then echo yes; else echo no; fi");
        section(s, "pe-env-target", "if [ -n \"$envtarget\" ]; then echo \"$envtarget $(command -v \"$envtarget\" 2>/dev/null)\"; fi");
        // the /signaling directories, each with a create / read back / remove probe
        for (String dir : new String[] {"/signaling", "/signaling/inbox", "/signaling/window_configs"}) {
            String key = dir.equals("/signaling") ? "signaling" : dir.substring("/signaling/".length());
            section(s, "dir-" + key, "stat -c '%F|%a|%U|%G' " + dir + " 2>&1");
            section(s, "df-" + key, "df -P " + dir + " 2>/dev/null | tail -n 1");
            section(s, "mount-" + key, "m=$(df -P " + dir + " 2>/dev/null | tail -n 1 | awk '{print $6}');"
                    + " [ -n \"$m\" ] && awk -v m=\"$m\" '$2==m {print $4}' /proc/mounts | tail -n 1");
            if (!dir.equals("/signaling")) {
                section(s, "write-" + key, "f=" + dir + "/sigkit-probe-$RUN;"
                        + " if err=$( { printf '%s' \"$RUN\" > \"$f\"; } 2>&1 ); then r=$(cat \"$f\" 2>&1); rm -f \"$f\" 2>/dev/null;"
                        + " if [ -e \"$f\" ]; then echo \"left $f\"; elif [ \"$r\" = \"$RUN\" ]; then echo ok; else echo \"readback $r\"; fi;"
                        + " else echo \"denied $err\"; fi");
            }
        }
        section(s, "inbox-user", "if [ -d \"/signaling/inbox/$TU\" ]; then echo present; ls -A \"/signaling/inbox/$TU\" 2>/dev/null | wc -l;"
                + " elif [ -e \"/signaling/inbox/$TU\" ]; then echo not-a-directory; else echo absent; fi");
        // privileges: sudo, without a password (-n) and without a TTY
        section(s, "sudo-path", "command -v sudo 2>/dev/null");
        section(s, "sudo-list", "sudo -n -l 2>&1; echo \"exit=$?\"");
        for (String cmd : new String[] {"date", "timedatectl", "hwclock", "shutdown", "halt", "poweroff"}) {
            section(s, "sudo-allows-" + cmd, "sudo -n -l " + cmd + " 2>&1; echo \"exit=$?\"");
        }
        section(s, "sudo-run-date", "sudo -n date +%s 2>&1; echo \"exit=$?\"");
        // leftovers of earlier runs (kit-made names and reserved window IDs)
        section(s, "leftover-files", "for f in /signaling/window_configs/* /signaling/inbox/sigkit-* /signaling/inbox/*/sigkit-*"
                + " /signaling/window_configs/sigkit-* /tmp/sigkit-*; do [ -e \"$f\" ] || continue; b=${f##*/};"
                + " case \"$f\" in /signaling/window_configs/*) case \"$b\" in " + reservedConfigPattern()
                + "|sigkit-*) echo \"$f\" ;; esac ;; *) echo \"$f\" ;; esac; done");
        section(s, "leftover-processes", "for p in /proc/[0-9]*; do c=$(tr '\\000' '\\001' 2>/dev/null < \"$p/cmdline\") || continue;"
                + " case \"$c\" in *payload_exec\"$S\"*) ;; *) continue ;; esac;"
                + " case \"$c\" in " + reservedProcessPattern() + ") echo \"${p#/proc/} $(printf %s \"$c\" | tr '\\001' ' ')\" ;; esac; done");
        section(s, "clock-end", "date +%s%N 2>/dev/null; cut -d' ' -f1 /proc/uptime 2>/dev/null");
        return s.toString();
    }

    private static String reservedConfigPattern() {
        StringBuilder sb = new StringBuilder();
        for (String p : Cleanup.RESERVED_ID_PATTERNS) {
            sb.append(sb.length() == 0 ? "" : "|").append(p).append(".json");
        }
        return sb.toString();
    }

    private static String reservedProcessPattern() {
        StringBuilder sb = new StringBuilder();
        for (String p : Cleanup.RESERVED_ID_PATTERNS) {
            sb.append(sb.length() == 0 ? "" : "|").append("*\"$S-w$S\"").append(p).append("\"$S\"*");
        }
        return sb.toString();
    }

    private static void section(StringBuilder s, String name, String command) {
        s.append(Sections.marker(name)).append('\n').append(command).append('\n');
    }

    /** Window ID ranges, for documentation: the probe's leftover patterns follow {@link Window}'s reserved ranges. */
    static String reservedRanges() {
        return Window.RESERVED_FIRST + ".." + Window.RESERVED_LAST + ", " + Window.WIDE_FIRST + ".." + Window.WIDE_LAST;
    }
}
