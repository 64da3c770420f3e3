package io.sigkit.check;

import io.sigkit.bus.SatelliteBus;
import io.sigkit.transport.ShellQuote;
import io.sigkit.bus.SignalCommand;
import io.sigkit.bus.Window;
import io.sigkit.probe.RemoteScript;
import io.sigkit.probe.Sections;
import io.sigkit.timing.PayloadStamp;
import io.sigkit.transport.PayloadConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The diagnostic start run: the start signal's payload_exec invocation, started the same way (nohup, in the
 * background, through the login shell) but under a small wrapper that records its exit status, duration and stderr
 * into a kit-owned directory on the payload. As on the bus, the window is configured first and its exit status awaited
 * (up to the configure budget and grace) before the start; the processes are listed just before and right after the
 * start, so the work the start created is known ({@link WindowWork}). Its outcome is read relative to its own start
 * and end time. It explains a failing window and shows work of windows the verbatim command cannot (no inbox).
 */
public final class DiagnosticRun {
    private DiagnosticRun() {
    }

    /** {@link Status#configureExitStatus()} of a configure still running when the kit stopped waiting for it. */
    public static final int CONFIGURE_STILL_RUNNING = -1;

    /** The payload directory a window's diagnostic run writes to. */
    public static String dir(String scratch, Window window) {
        return scratch + "/diag-" + window.id();
    }

    /** How many bytes of a run's stderr (and its configure's) are kept: the tail, so a flood costs no disk. */
    static final int STDERR_TAIL = 2000;

    /** How long after the launch the first and second listing of a launch script are taken, in seconds. */
    static final String CAPTURE_PAUSE_SECONDS = "0.3";

    /**
     * A diagnostic window launched as the bus does it, in one exec (after a listing of the processes, when
     * {@code lookFirst}: the end of the window before it is judged by that listing): configure first, its exit status awaited up to
     * {@code configureWait} (its exit status and the tail of its stderr are recorded); then a listing of the processes
     * (before the start); then the start, in the background under a wrapper that records payload_exec's exit status,
     * duration and stderr tail; then two listings, {@value #CAPTURE_PAUSE_SECONDS} s apart, which capture the work the
     * start created (see {@link WindowWork}). The window's end time {@code -t} is counted from when the start is
     * launched: {@code endIfNoConfigure} plus the whole seconds configure took. The start goes ahead whatever configure
     * returned, as the start's own behaviour is what the run explains (SIG-CONF-001 judges configure).
     *
     * <p>Everything is written in a fresh private directory under the scratch directory (created with {@code mkdir},
     * never over an existing name), keeping only the last {@value #STDERR_TAIL} bytes of stderr: a payload that floods
     * stderr fills no disk.
     */
    public static RemoteScript launchScript(String scratch, Window window, Instant endIfNoConfigure, Duration configureWait,
                                            boolean lookFirst, UnaryOperator<RemoteScript.Builder> then) {
        RemoteScript.Builder b = RemoteScript.builder();
        WindowWork.addShell(b);
        if (lookFirst) {
            WindowWork.addLook(b, "first-" + Long.toUnsignedString(window.id()));
        }
        b.code("c=0; k=0");
        addLaunch(b, scratch, window, endIfNoConfigure, configureWait);
        return then.apply(b).build();
    }

    /**
     * Adds one diagnostic window's launch to a script begun with {@link WindowWork#addShell} and {@code c=0; k=0}
     * (see {@link #launchScript}); launches added one after another run one after another, each captured before the
     * next starts. The {@code -t} of each is {@code endIfNoConfigure} plus the seconds every configure of the script
     * took so far (rounded to the nearest: a quick configure adds none), plus one second for each launch before it (its
     * listings and pauses).
     */
    static void addLaunch(RemoteScript.Builder b, String scratch, Window window, Instant endIfNoConfigure,
                          Duration configureWait) {
        addLaunch(b, scratch, window, endIfNoConfigure, configureWait, Instant.EPOCH, UnaryOperator.identity());
    }

    /**
     * As {@link #addLaunch(RemoteScript.Builder, String, Window, Instant, Duration)}, with {@code -t} not before
     * {@code notBefore}, and what {@code afterConfigure} adds run between the configure and the listing before the
     * start.
     */
    static void addLaunch(RemoteScript.Builder b, String scratch, Window window, Instant endIfNoConfigure,
                          Duration configureWait, Instant notBefore, UnaryOperator<RemoteScript.Builder> afterConfigure) {
        String id = Long.toUnsignedString(window.id());
        String d = ShellQuote.quote(dir(scratch, window));
        long waitTenths = Math.max(1, configureWait.toMillis() / 100);
        StringBuilder argv = new StringBuilder();
        List<String> args = SignalCommand.parse(SatelliteBus.startCommand(window.withEndTime(Instant.EPOCH))).argv();
        for (int i = 0; i < args.size(); i++) {
            boolean end = i > 0 && args.get(i - 1).equals("-t");
            argv.append(' ').append(end ? "\"$t\"" : ShellQuote.quote(args.get(i)));
        }
        String inner = "d=$1; shift; set -C;"
                + " T() { x=$(date +%s%N 2>/dev/null); case \"$x\" in \"\"|*[!0-9]*) x=-;; esac;"
                + " echo \"$x $(cut -d\" \" -f1 /proc/uptime)\"; };"
                + " { a=$(T); echo \"$a\" > \"$d/started\"; \"$@\" 2>&1 > /dev/null < /dev/null; rc=$?; b=$(T); echo \"$rc $a $b\" > \"$d/status.tmp\";"
                + " mv -f \"$d/status.tmp\" \"$d/status\"; } | tail -c " + STDERR_TAIL + " > \"$d/stderr\"";
        b.code("d=" + d + "; i=0; if ( umask 077; mkdir -- \"$d\" ) 2>/dev/null; then ok=1; else ok=0; fi")
                .code("if [ $ok = 1 ]; then { { sh -c " + ShellQuote.quote(SatelliteBus.configureCommand(window))
                        + " 2>&1 > /dev/null < /dev/null; echo $? > \"$d/configure.rc\"; } | tail -c " + STDERR_TAIL
                        + " > \"$d/configure.stderr\"; } > /dev/null 2>&1 &"
                        + " while [ ! -s \"$d/configure.rc\" ] && [ $i -lt " + waitTenths + " ]; do sleep 0.1; i=$((i+1)); done;"
                        + " if [ -s \"$d/configure.rc\" ]; then cat \"$d/configure.rc\" > \"$d/configure\";"
                        + " else echo timeout > \"$d/configure\"; fi; fi")
                .code("c=$((c + i)); t=$((" + endIfNoConfigure.getEpochSecond() + " + (c + 5) / 10 + k)); k=$((k + 1));"
                        + " if [ $t -lt " + notBefore.getEpochSecond() + " ]; then t=" + notBefore.getEpochSecond() + "; fi")
                .section("launch-" + id, "echo \"$ok $i $t\"", 64);
        afterConfigure.apply(b);
        WindowWork.addLook(b, "before-" + id);
        b.code("[ $ok = 1 ] && { nohup sh -c " + ShellQuote.quote(inner) + " sigkit-diag \"$d\"" + argv
                + " > /dev/null 2>&1 & }");
        b.code("sleep " + CAPTURE_PAUSE_SECONDS);
        WindowWork.addLook(b, "after1-" + id);
        b.code("sleep " + CAPTURE_PAUSE_SECONDS);
        WindowWork.addLook(b, "after2-" + id);
    }

    /**
     * A launched diagnostic window and the work its start created.
     *
     * @param window the window, with its real end time
     * @param launchedAt when the kit had the launch script's answer
     * @param configureTook how long the kit's script waited for configure (to a tenth of a second)
     * @param work its work, captured by the two listings after the start
     * @param atStart the window's processes in those listings
     * @param launched false when the run's private directory could not be created (nothing was started)
     * @param first the listing taken before anything else (before configure), when asked for
     * @param output the launch script's output (for what the caller added to it)
     */
    public record Launch(Window window, Instant launchedAt, Duration configureTook, WindowWork work,
                         List<io.sigkit.probe.RemoteProcess> atStart, boolean launched, WindowWork.Look first,
                         RemoteScript.Output output) {
    }

    /**
     * Runs {@link #launchScript} and captures the work.
     *
     * @throws io.sigkit.probe.IncompleteOutputException when the answer is cut, forged or late (ERROR, never FAIL)
     */
    public static Launch launch(PayloadConnection connection, String scratch, Window window, Duration windowLength,
                                Duration configureWait, boolean lookFirst) {
        return launch(connection, scratch, window, windowLength, configureWait, lookFirst, UnaryOperator.identity());
    }

    /**
     * Like {@link #launch(PayloadConnection, String, Window, Duration, Duration, boolean)}, with kit code added at the
     * end of the launch script by {@code then} (whose time counts against the exec's timeout: keep it short).
     */
    public static Launch launch(PayloadConnection connection, String scratch, Window window, Duration windowLength,
                                Duration configureWait, boolean lookFirst, UnaryOperator<RemoteScript.Builder> then) {
        Instant sent = Instant.now();
        Instant endIfNoConfigure = StartScenario.endTime(windowLength.plusMillis(300));
        RemoteScript.Output out = launchScript(scratch, window, endIfNoConfigure, configureWait, lookFirst, then)
                .run(connection, configureWait.plusSeconds(30), "configure and start window " + window.id());
        return parseLaunch(out, scratch, window, sent, Instant.now(), lookFirst ? "first-" + Long.toUnsignedString(window.id()) : null);
    }

    /**
     * The launch of {@code window} in a script's output (see {@link #addLaunch}): its real end time and the work its
     * start created.
     *
     * @param sent when the script was sent
     * @param at when the kit had its answer
     * @param firstSection the section of a listing taken before anything else, or null
     * @throws io.sigkit.probe.IncompleteOutputException when the answer is cut, forged or late (ERROR, never FAIL)
     */
    /** The end time (-t) a launch script gave the window (EPOCH when its launch line is missing or malformed). */
    static Instant launchedEnd(RemoteScript.Output out, Window window) {
        Sections s = out.sections();
        String key = "launch-" + Long.toUnsignedString(window.id());
        if (!s.has(key)) {
            return Instant.EPOCH;
        }
        String[] f = s.first(key).strip().split(" ");
        return f.length == 3 && f[2].matches("\\d{1,12}") ? Instant.ofEpochSecond(Long.parseLong(f[2])) : Instant.EPOCH;
    }

    static Launch parseLaunch(RemoteScript.Output out, String scratch, Window window, Instant sent, Instant at,
                              String firstSection) {
        String id = Long.toUnsignedString(window.id());
        String[] f = out.require().first("launch-" + id).split(" ");
        if (f.length != 3 || !f[0].matches("[01]") || !f[1].matches("\\d{1,6}") || !f[2].matches("\\d{1,12}")) {
            throw new io.sigkit.probe.IncompleteOutputException(out.purpose() + ": the launch line is malformed");
        }
        Window real = window.withEndTime(Instant.ofEpochSecond(Long.parseLong(f[2])));
        long uid = WindowWork.uid(out);
        WindowWork work = WindowWork.since(window.id(), uid, scratch, WindowWork.Look.from(out, "before-" + id, at));
        List<io.sigkit.probe.RemoteProcess> seen = new java.util.ArrayList<>(
                work.capture(WindowWork.Look.from(out, "after1-" + id, at)));
        for (io.sigkit.probe.RemoteProcess p : work.capture(WindowWork.Look.from(out, "after2-" + id, at))) {
            if (seen.stream().noneMatch(q -> WindowWork.identity(q).equals(WindowWork.identity(p)))) {
                seen.add(p);
            }
        }
        return new Launch(real, at, Duration.ofMillis(Long.parseLong(f[1]) * 100), work, List.copyOf(seen),
                f[0].equals("1"), firstSection != null ? WindowWork.Look.from(out, firstSection, sent) : null, out);
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
                    ? " (its configure before it was still running when the kit stopped waiting; the start went ahead)"
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

    /** Adds section {@code started-<id>}: the payload's uptime when the wrapper started payload_exec. */
    public static RemoteScript.Builder addStarted(RemoteScript.Builder b, String scratch, Window window) {
        return b.section("started-" + Long.toUnsignedString(window.id()),
                "cat " + ShellQuote.quote(dir(scratch, window)) + "/started 2>/dev/null", 128);
    }

    /**
     * The payload's uptime when the wrapper started payload_exec (its {@code started} stamp: realtime ns, uptime s).
     *
     * @throws io.sigkit.probe.IncompleteOutputException when the stamp is missing or malformed
     */
    public static Duration startedUptime(Sections s, Window window) {
        String[] f = s.first("started-" + Long.toUnsignedString(window.id())).strip().split(" ");
        if (f.length != 2) {
            throw new io.sigkit.probe.IncompleteOutputException("the start stamp of window " + window.id() + " is missing");
        }
        return uptime(f[1], "the start stamp of window " + window.id());
    }

    /** Section {@code name}: the payload's uptime now. */
    public static RemoteScript.Builder addUptime(RemoteScript.Builder b, String name) {
        return b.section(name, "cut -d' ' -f1 /proc/uptime", 64);
    }

    /**
     * An uptime as {@code /proc/uptime} prints it.
     *
     * @throws io.sigkit.probe.IncompleteOutputException when it is not one
     */
    public static Duration uptime(String text, String what) {
        String t = text.strip();
        if (!t.matches("\\d{1,10}(\\.\\d{1,3})?")) {
            throw new io.sigkit.probe.IncompleteOutputException(what + ": '" + t + "' is not an uptime");
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
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
