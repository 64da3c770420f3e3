package io.sigkit.check;

import io.sigkit.bus.SatelliteBus;
import io.sigkit.transport.ShellQuote;
import io.sigkit.bus.SignalCommand;
import io.sigkit.bus.Window;
import io.sigkit.probe.RemoteScript;
import io.sigkit.probe.Sections;
import io.sigkit.timing.PayloadStamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The diagnostic start run: the start signal's payload_exec invocation, started the same way (nohup, in the
 * background, through the login shell) but under a small wrapper that records its exit status, duration and stderr
 * into a kit-owned directory on the payload. As on the bus, the wrapper first runs the window's configure command
 * (its exit status and stderr are recorded too; the start follows whatever it returned, so the start's own behaviour
 * is seen). It explains a failing window; verdicts rest on the verbatim command.
 */
public final class DiagnosticRun {
    private DiagnosticRun() {
    }

    /** How long the wrapper waits for the window's configure before it starts the window anyway, in tenths of s. */
    static final int CONFIGURE_WAIT_TENTHS = 200;
    /** {@link Status#configureExitStatus()} of a configure still running when the wrapper went on. */
    public static final int CONFIGURE_STILL_RUNNING = -1;

    /** The payload directory a window's diagnostic run writes to. */
    public static String dir(String scratch, Window window) {
        return scratch + "/diag-" + window.id();
    }

    /** How many bytes of a run's stderr (and its configure's) are kept: the tail, so a flood costs no disk. */
    static final int STDERR_TAIL = 2000;

    /**
     * Shell code that starts the diagnostic run of a window in the background, in its own private directory under the
     * scratch directory (created with {@code mkdir}, never over an existing name), writing every file with noclobber
     * and keeping only the last {@value #STDERR_TAIL} bytes of stderr: a payload that floods stderr fills no disk.
     */
    public static String launchCode(String scratch, Window window) {
        String d = dir(scratch, window);
        StringBuilder argv = new StringBuilder();
        for (String a : SignalCommand.parse(SatelliteBus.startCommand(window)).argv()) {
            argv.append(' ').append(ShellQuote.quote(a));
        }
        // the configure is waited for CONFIGURE_WAIT_TENTHS / 10 s at most: the start goes ahead after it, as the
        // start's own behaviour is what the run explains
        String inner = "d=$1; c=$2; shift 2; set -C;"
                + " { sh -c \"$c\" 2>&1 > /dev/null < /dev/null; echo $? > \"$d/configure.rc\"; } | tail -c " + STDERR_TAIL
                + " > \"$d/configure.stderr\" & cp=$!; i=0;"
                + " while kill -0 $cp 2>/dev/null && [ ! -s \"$d/configure.rc\" ] && [ $i -lt " + CONFIGURE_WAIT_TENTHS + " ];"
                + " do sleep 0.1; i=$((i+1)); done;"
                + " if [ -s \"$d/configure.rc\" ]; then cat \"$d/configure.rc\" > \"$d/configure\"; else echo timeout > \"$d/configure\"; fi;"
                + " T() { x=$(date +%s%N 2>/dev/null); case \"$x\" in \"\"|*[!0-9]*) x=-;; esac;"
                + " echo \"$x $(cut -d\" \" -f1 /proc/uptime)\"; };"
                + " { a=$(T); \"$@\" 2>&1 > /dev/null < /dev/null; rc=$?; b=$(T); echo \"$rc $a $b\" > \"$d/status.tmp\";"
                + " mv -f \"$d/status.tmp\" \"$d/status\"; } | tail -c " + STDERR_TAIL + " > \"$d/stderr\"";
        return "( umask 077; mkdir -- " + ShellQuote.quote(d) + " ) && { nohup sh -c " + ShellQuote.quote(inner) + " sigkit-diag "
                + ShellQuote.quote(d) + " " + ShellQuote.quote(SatelliteBus.configureCommand(window)) + argv
                + " > /dev/null 2>&1 & }";
    }

    /** Adds sections {@code diag-<id>[-stderr|-configure|-configure-stderr]} reading a diagnostic run's outcome. */
    public static RemoteScript.Builder addStatus(RemoteScript.Builder b, String scratch, Window window) {
        String d = ShellQuote.quote(dir(scratch, window));
        String id = Long.toUnsignedString(window.id());
        return b.section("diag-" + id, "cat " + d + "/status 2>/dev/null || { if [ -d " + d + " ]; then echo running;"
                        + " else echo missing; fi; }", 256)
                .section("diag-" + id + "-stderr", "cat " + d + "/stderr 2>/dev/null", STDERR_TAIL)
                .section("diag-" + id + "-configure", "cat " + d + "/configure 2>/dev/null", 64)
                .section("diag-" + id + "-configure-stderr", "cat " + d + "/configure.stderr 2>/dev/null", STDERR_TAIL);
    }

    /**
     * A diagnostic run's outcome as read from the payload.
     *
     * @param state {@code exited}, {@code running} (not finished when read) or {@code missing} (never started)
     * @param exitStatus payload_exec's exit status (128+N for a signal), when exited
     * @param duration how long it ran, when exited and the stamps were readable
     * @param endedAtNanos the payload's realtime clock when it exited, when available
     * @param stderrTail the last 2000 bytes of its stderr (payload text: shown escaped)
     * @param configureExitStatus the exit status of the configure run before it, when known
     * @param configureStderr the last 500 bytes of that configure's stderr
     */
    public record Status(String state, Integer exitStatus, Duration duration, Long endedAtNanos, String stderrTail,
            Integer configureExitStatus, String configureStderr) {
        public Status(String state, Integer exitStatus, Duration duration, Long endedAtNanos, String stderrTail) {
            this(state, exitStatus, duration, endedAtNanos, stderrTail, null, "");
        }

        public boolean exitedZero() {
            return "exited".equals(state) && exitStatus != null && exitStatus == 0;
        }

        /** {@code exited 1 after 0.21 s: FileNotFoundError: ...} */
        public String describe() {
            String configure = configureExitStatus == null || configureExitStatus == 0 ? ""
                    : configureExitStatus == CONFIGURE_STILL_RUNNING
                    ? " (its configure before it was still running after " + CONFIGURE_WAIT_TENTHS / 10 + " s; the start went ahead)"
                    : " (its configure before it had exited " + configureExitStatus
                    + (configureStderr.isBlank() ? "" : ": " + lastLine(configureStderr)) + ")";
            return switch (state) {
                case "exited" -> "exited " + exitStatus + (duration == null ? "" : " after "
                        + io.sigkit.timing.Stats.s(duration))
                        + (stderrTail.isBlank() ? "" : ": " + lastLine(stderrTail));
                case "running" -> "was still running";
                default -> "never started (" + state + ")";
            } + configure;
        }

        public Optional<Instant> endedAt() {
            return endedAtNanos == null ? Optional.empty()
                    : Optional.of(Instant.ofEpochSecond(endedAtNanos / 1_000_000_000L, endedAtNanos % 1_000_000_000L));
        }

        private static String lastLine(String text) {
            String[] lines = text.strip().split("\n");
            return lines[lines.length - 1].strip();
        }
    }

    /** Parses the status of a window's diagnostic run from a status script's sections. */
    public static Status parse(Sections sections, Window window) {
        String line = sections.first("diag-" + window.id());
        String stderr = sections.text("diag-" + window.id() + "-stderr");
        String rcLine = sections.first("diag-" + window.id() + "-configure");
        Integer configureRc = rcLine.matches("\\d{1,3}") ? Integer.valueOf(rcLine)
                : rcLine.equals("timeout") ? CONFIGURE_STILL_RUNNING : null;
        String configureStderr = sections.text("diag-" + window.id() + "-configure-stderr");
        String[] f = line.split("\\s+");
        if (f.length >= 1 && f[0].matches("\\d{1,3}")) {
            Integer rc = Integer.parseInt(f[0]);
            Duration d = null;
            Long endNs = null;
            if (f.length >= 5) {
                PayloadStamp a = PayloadStamp.parse(f[1], f[2]);
                PayloadStamp b = PayloadStamp.parse(f[3], f[4]);
                d = a.until(b).orElse(null);
                endNs = b.realtimeNanos();
            }
            return new Status("exited", rc, d, endNs, stderr, configureRc, configureStderr);
        }
        return new Status(line.isEmpty() ? "missing" : line, null, null, null, stderr, configureRc, configureStderr);
    }
}
