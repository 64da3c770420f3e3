package io.sigkit.probe;

import io.sigkit.transport.ShellQuote;
import java.util.List;

/**
 * The one script that gathers the payload's facts in a single round trip: system, user and login shell, network
 * interfaces, then what the probes.v1 documents declare ({@link ProbeDocument}: for the catalog, payload_exec and its
 * interpreter, the {@code /signaling} directories with a create/read/remove probe of each, sudo rules for the bare
 * commands and for the exact commands the bus runs; a user's probes after them), and the payload clock.
 *
 * <p>A {@link RemoteScript}: POSIX sh with only the tools busybox also provides; every fact is a section whose bytes
 * reach the kit unforgeable, and no payload file is ever sourced or executed (os-release is read with {@code sed};
 * the shebang is split with globbing off). Its only writes are the two probe entries, created exclusively (no
 * clobbering, no symlink followed) and removed before it ends.
 */
public final class FactsProbe {
    /** Where the spec puts the payload executable. */
    static final String PAYLOAD_EXEC = "/usr/bin/payload_exec";

    /** The id of payload_exec's probe in the catalog's probes document. */
    public static final String PAYLOAD_EXEC_PROBE = "payload-exec";

    /** The section of a sudo probe's answer is this prefix and the probe's id. */
    static final String SUDO_SECTION = "sudo-allows-";

    /** Lists {@code /tmp/sigkit-*} with owner records; kept beside the bus's parser of it. */
    private static final String RUNS_CODE = OtherRuns.LIST_CODE;

    private FactsProbe() {
    }

    /**
     * The probe script, from the catalog's probes document.
     *
     * @param runId the run's ID, used in the probe entries' names ({@code sigkit-probe-<run>})
     * @param taskingUser the tasking user whose inbox directory is looked at (already validated)
     */
    public static RemoteScript script(String runId, String taskingUser) {
        return script(runId, taskingUser, List.of(ProbeDocument.catalog()));
    }

    /** The probe script for a payload_exec at another path (tests). */
    static RemoteScript script(String runId, String taskingUser, String payloadExec) {
        ProbeDocument catalog = ProbeDocument.catalog();
        List<ProbeDocument.PathProbe> paths = new java.util.ArrayList<>();
        for (ProbeDocument.PathProbe p : catalog.paths()) {
            paths.add(p.id().equals(PAYLOAD_EXEC_PROBE) ? new ProbeDocument.PathProbe(p.id(), p.requirement(), p.title(),
                    p.level(), payloadExec, p.kind(), p.followLinks(), p.owner(), p.group(), p.modeForbids(),
                    p.modeRequires(), p.access(), p.sha256(), p.shebang(), p.mount()) : p);
        }
        return script(runId, taskingUser, List.of(new ProbeDocument(catalog.source(), paths, catalog.sudo())));
    }

    /**
     * The probe script for the probes of these documents (the catalog's first, then a user's): the system, user and
     * network sections are fixed; each path probe and sudo probe of the documents adds its sections. Paths and command
     * words from the documents reach the shell single-quoted only ({@link ShellQuote}), never as code.
     */
    public static RemoteScript script(String runId, String taskingUser, List<ProbeDocument> documents) {
        if (!runId.matches("[0-9a-f]{8,32}")) {
            throw new IllegalArgumentException("run ID must be hex, was '" + runId + "'");
        }
        RemoteScript.Builder s = RemoteScript.builder();
        s.code("RUN=" + ShellQuote.quote(runId) + "; TU=" + ShellQuote.quote(taskingUser));
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
        for (ProbeDocument d : documents) {
            for (ProbeDocument.PathProbe p : d.paths()) {
                path(s, p);
            }
        }
        s.section("inbox-user", "if [ -d \"/signaling/inbox/$TU\" ]; then echo present; ls -A \"/signaling/inbox/$TU\" 2>/dev/null | wc -l;"
                + " elif [ -e \"/signaling/inbox/$TU\" ]; then echo not-a-directory; else echo absent; fi");
        // privileges: sudo, without a password (-n) and without a TTY; bare commands and the bus's exact commands
        s.section("sudo-path", "command -v sudo 2>/dev/null", 4096);
        s.section("sudo-list", "sudo -n -l 2>&1; echo \"exit=$?\"", 64 * 1024);
        for (ProbeDocument d : documents) {
            for (ProbeDocument.SudoProbe p : d.sudo()) {
                StringBuilder words = new StringBuilder();
                for (String w : p.command()) {
                    words.append(' ').append(ShellQuote.quote(w));
                }
                s.section(SUDO_SECTION + p.id(), "sudo -n -l" + words + " 2>&1; echo \"exit=$?\"", 8192);
            }
        }
        s.section("sudo-run-date", "sudo -n date +%s 2>&1; echo \"exit=$?\"", 4096);
        // the owner records of other runs (their leftovers are recognised by these only)
        s.section("now", "date +%s");
        s.section("runs", RUNS_CODE, 2 * 1024 * 1024);
        s.section("clock-end", "date +%s%N 2>/dev/null; cut -d' ' -f1 /proc/uptime 2>/dev/null");
        return s.build();
    }

    /** The sections of one path probe, named {@code <id>.<fact>}; the path is in {@code $p}, single-quoted. */
    private static void path(RemoteScript.Builder s, ProbeDocument.PathProbe p) {
        String id = p.id();
        s.code("p=" + ShellQuote.quote(p.path()));
        s.section(id + ".lstat", "stat -c '%F|%a|%U|%G|%s' \"$p\" 2>&1", 1024);
        s.section(id + ".stat", "stat -L -c '%F|%a|%U|%G|%s' \"$p\" 2>&1", 1024);
        s.section(id + ".realpath", "readlink -f \"$p\" 2>/dev/null", 4096);
        s.section(id + ".access", "a=''; [ -r \"$p\" ] && a=\"${a}r\"; [ -w \"$p\" ] && a=\"${a}w\";"
                + " [ -x \"$p\" ] && a=\"${a}x\"; printf '%s\\n' \"${a:--}\"", 16);
        if (p.sha256()) {
            // regular files only: a FIFO or a device (/dev/zero) would block the read or never end
            s.section(id + ".sha256", "[ -f \"$p\" ] && sha256sum \"$p\" 2>/dev/null | cut -d' ' -f1", 128);
        }
        if (p.shebang()) {
            s.section(id + ".head", "[ -f \"$p\" ] && head -c 512 \"$p\" 2>/dev/null", 512);
            // the interpreter: words of the #! line, split with globbing off (a '*' in it must not expand)
            s.code("line=''; [ -f \"$p\" ] && [ -r \"$p\" ] && IFS= read -r line < \"$p\" 2>/dev/null\n"
                    + "interp=''; envtarget=''\n"
                    + "case \"$line\" in '#!'*) set -f; set -- $(printf %s \"${line#??}\" | tr -d '\\r'); set +f;"
                    + " interp=\"${1:-}\"; [ \"${interp##*/}\" = env ] && envtarget=\"${2:-}\" ;; esac");
            s.section(id + ".interpreter", "printf '%s\\n' \"$interp\"", 4096);
            s.section(id + ".interpreter-ok", "if [ -z \"$interp\" ]; then echo none; elif [ -f \"$interp\" ] && [ -x \"$interp\" ];"
                    + " then echo yes; else echo no; fi");
            s.section(id + ".env-target", "if [ -n \"$envtarget\" ]; then printf '%s %s\\n' \"$envtarget\""
                    + " \"$(command -v -- \"$envtarget\" 2>/dev/null)\"; fi", 8192);
        }
        if (p.mount()) {
            s.section(id + ".df", "df -P \"$p\" 2>/dev/null | tail -n 1", 4096);
            s.section(id + ".mount", "m=$(df -P \"$p\" 2>/dev/null | tail -n 1 | awk '{print $6}');"
                    + " [ -n \"$m\" ] && awk -v m=\"$m\" '$2==m {print $4}' /proc/mounts | tail -n 1", 4096);
        }
        if (p.access().contains(ProbeDocument.Access.CREATE_ENTRY)) {
            // created exclusively (noclobber: an existing name, a planted symlink included, is never written through)
            s.section(id + ".write", "f=\"$p/sigkit-probe-$RUN\";"
                    + " if err=$( { ( set -C; printf '%s' \"$RUN\" > \"$f\" ); } 2>&1 ); then r=$(cat -- \"$f\" 2>&1);"
                    + " rm -f -- \"$f\" 2>/dev/null;"
                    + " if [ -e \"$f\" ]; then echo \"left\"; elif [ \"$r\" = \"$RUN\" ]; then echo ok;"
                    + " else printf 'readback %s\\n' \"$r\"; fi;"
                    + " else printf 'denied %s\\n' \"$err\"; fi", 4096);
        }
    }
}
