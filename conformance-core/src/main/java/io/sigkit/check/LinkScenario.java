package io.sigkit.check;

import io.sigkit.bus.Window;
import io.sigkit.probe.IncompleteOutputException;
import io.sigkit.probe.RemoteProcess;
import io.sigkit.probe.RemoteScript;
import io.sigkit.probe.Sections;
import io.sigkit.transport.PayloadConnection;
import io.sigkit.transport.ShellQuote;
import io.sigkit.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * SIG-START-006, the spec's case: "following the window start signal, ethernet for the payload may be shut down before
 * the window completes". A window is configured and started (diagnostic run) and its work captured; a watcher on the
 * payload notes when each of its processes ends; the link is cut and stays down for the rest of the window, restored
 * only after {@code -t} plus the grace; then the watcher's notes, the work still running and the start's outcome are
 * read. Work that ended before {@code -t} is compared with the same start with the link up (a control window, watched
 * the same way): ending clearly earlier with the link down is abandoning the window; ending as early with the link up is
 * simply finishing.
 */
public final class LinkScenario {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STALLED_CALL_TIMEOUT = Duration.ofSeconds(10);
    /** The link-drop window lasts at least this long, so that work which gives up after a few seconds is seen. */
    static final Duration MIN_WINDOW = Duration.ofSeconds(8);
    /** Work that ends this close to {@code -t} ran for the whole window. */
    static final Duration RAN_TO_END = Duration.ofSeconds(1);
    /** Work that ends this much earlier with the link down than with it up stopped because of the link. */
    static final Duration EARLIER = Duration.ofMillis(500);
    /** How many of a window's processes the watcher follows. */
    static final int WATCHED = 16;

    final Window window;
    final DiagnosticRun.Launch launch;
    final boolean cut;
    final Duration linkDownFor;
    final Duration cutAfterStart;
    final boolean reconnected;
    final List<RemoteProcess> afterRestore;
    /** When the watched work ended, after the window's start; null when it was still running. */
    final Duration workEndedAfter;
    final Duration windowSpan;
    final DiagnosticRun.Status status;
    final Window control;
    final boolean controlSeen;
    final Duration controlEndedAfter;

    private LinkScenario(Builder b) {
        this.window = b.window;
        this.launch = b.launch;
        this.cut = b.cut;
        this.linkDownFor = b.linkDownFor;
        this.cutAfterStart = b.cutAfterStart;
        this.reconnected = b.reconnected;
        this.afterRestore = b.afterRestore;
        this.workEndedAfter = b.workEndedAfter;
        this.windowSpan = b.windowSpan;
        this.status = b.status;
        this.control = b.control;
        this.controlSeen = b.controlSeen;
        this.controlEndedAfter = b.controlEndedAfter;
    }

    private static final class Builder {
        Window window;
        DiagnosticRun.Launch launch;
        boolean cut;
        Duration linkDownFor = Duration.ZERO;
        Duration cutAfterStart;
        Instant cutAt;
        boolean reconnected;
        List<RemoteProcess> afterRestore = List.of();
        Duration workEndedAfter;
        Duration windowSpan;
        DiagnosticRun.Status status;
        Window control;
        boolean controlSeen;
        Duration controlEndedAfter;
    }

    static LinkScenario run(CheckContext ctx) {
        Builder b = new Builder();
        LinkSwitch link = ctx.options().linkControl();
        PayloadConnection connection = ctx.bus().connection();
        String scratch = ctx.scratchDir();
        Duration length = ctx.options().windowLength().compareTo(MIN_WINDOW) < 0 ? MIN_WINDOW : ctx.options().windowLength();
        Duration grace = ctx.options().endGrace();
        // one window at a time: the windows started before have ended
        StartScenario.sleepUntil(ctx.windowsRunUntil());

        ctx.step("link-drop window: configure, then start");
        b.launch = DiagnosticRun.launch(connection, scratch, ctx.plan().linkDrop(Instant.EPOCH), length, ctx.configureTimeout(),
                false);
        b.window = b.launch.window();
        if (!b.launch.launched()) {
            throw new IllegalStateException("the kit could not create its directory for window " + b.window.id()
                    + " under " + scratch);
        }
        Instant end = b.window.endTime();
        ctx.windowsRunUntil(end.plus(grace));
        Watch watch = null;
        if (!b.launch.atStart().isEmpty()) {
            watch = Watch.start(connection, scratch, b.launch, end.plus(grace).plusSeconds(2));
            ctx.step("cutting the payload's link until the window's end time " + end + " + grace");
            Instant cutAt = Instant.now();
            try {
                link.down();
                b.cut = true;
                StartScenario.sleepUntil(end.plus(grace));
            } catch (Exception e) {
                throw new IllegalStateException("the link-down hook failed: " + e.getMessage(), e);
            } finally {
                try {
                    link.up();
                } catch (Exception e) {
                    throw new IllegalStateException("the link-up hook failed: " + e.getMessage(), e);
                }
            }
            b.linkDownFor = Duration.between(cutAt, Instant.now());
            b.cutAt = cutAt;
        } else {
            StartScenario.sleepUntil(end.plus(grace));
        }
        RemoteScript.Output out = readAfter(ctx, b, scratch, b.launch);
        Sections sections = out.requireWhole();
        if (watch != null && !watch.complete(sections) && b.launch.work().follow(
                WindowWork.Look.from(out, "look", Instant.now())).isEmpty()) {
            // the work ended just before the listing, and the watcher (every 0.1 s) has not noted it yet
            StartScenario.sleepUntil(Instant.now().plusMillis(500));
            out = read(connection, scratch, b.launch, "the link-drop window after the cut, again", CALL_TIMEOUT);
            sections = out.requireWhole();
        }
        b.status = DiagnosticRun.parse(sections, b.window);
        b.afterRestore = b.launch.work().follow(WindowWork.Look.from(out, "look", Instant.now()));
        if (watch != null) {
            Duration started = DiagnosticRun.startedUptime(sections, b.window);
            b.windowSpan = watch.uptimeAt(end).minus(started);
            b.cutAfterStart = watch.uptimeAt(b.cutAt).minus(started);
            if (b.afterRestore.isEmpty()) {
                b.workEndedAfter = watch.lastGone(sections).minus(started);
            }
        }
        if (b.workEndedAfter != null && b.cutAfterStart != null && b.workEndedAfter.compareTo(b.cutAfterStart) > 0
                && b.workEndedAfter.compareTo(b.windowSpan.minus(RAN_TO_END)) < 0) {
            // it ended during the cut, well before -t: abandoned, or finished that quickly? The same start with the
            // link up tells.
            ctx.step("the work of window " + b.window.id() + " ended with the link down: control window with the link up");
            DiagnosticRun.Launch c = DiagnosticRun.launch(connection, scratch, ctx.plan().linkControl(Instant.EPOCH),
                    length, ctx.configureTimeout(), false);
            b.control = c.window();
            ctx.windowsRunUntil(c.window().endTime().plus(grace));
            b.controlSeen = !c.atStart().isEmpty();
            if (b.controlSeen) {
                Watch cw = Watch.start(connection, scratch, c, c.window().endTime().plus(grace).plusSeconds(2));
                StartScenario.sleepUntil(c.window().endTime().plus(grace));
                RemoteScript.Output co = read(connection, scratch, c, "the control window's work", CALL_TIMEOUT);
                boolean running = !c.work().follow(WindowWork.Look.from(co, "look", Instant.now())).isEmpty();
                Sections cs = co.requireWhole();
                b.controlEndedAfter = running ? null : cw.lastGone(cs).minus(DiagnosticRun.startedUptime(cs, c.window()));
            }
        }
        return new LinkScenario(b);
    }

    private static RemoteScript.Output readAfter(CheckContext ctx, Builder b, String scratch, DiagnosticRun.Launch l) {
        PayloadConnection connection = ctx.bus().connection();
        try {
            RemoteScript.Output out = read(connection, scratch, l, "the link-drop window after the cut", STALLED_CALL_TIMEOUT);
            if (out.exec().timedOut()) {
                throw new IllegalStateException("session stalled");
            }
            return out;
        } catch (TransportException | IllegalStateException e) {
            ctx.step("the session did not survive the cut: reconnecting");
            connection.reconnect();
            b.reconnected = true;
            return read(connection, scratch, l, "the link-drop window after the cut, reconnected", CALL_TIMEOUT);
        }
    }

    private static RemoteScript.Output read(PayloadConnection connection, String scratch, DiagnosticRun.Launch l,
                                            String purpose, Duration timeout) {
        String d = ShellQuote.quote(DiagnosticRun.dir(scratch, l.window()));
        RemoteScript.Builder b = WindowWork.addLook(WindowWork.addShell(RemoteScript.builder()), "look");
        DiagnosticRun.addStatus(b, scratch, l.window());
        b.section("watch", "cat " + d + "/watch 2>/dev/null", 4096);
        return DiagnosticRun.addStarted(b, scratch, l.window()).build().run(connection, timeout, purpose);
    }

    /**
     * A watcher on the payload: a background loop that, every 0.1 s until a deadline, checks that each captured
     * process of a window still exists with its start time, and appends {@code gone <i> <uptime>} when it does not;
     * the start time of the window is the wrapper's {@code started} stamp (uptime), so the work's length is measured
     * on the payload's clock. Only the kit's numbers (PIDs and start times parsed from the listing) become shell text.
     */
    static final class Watch {
        private final double uptimeAtReturn;
        private final Instant returnedAt;
        private final int count;

        private Watch(double uptimeAtReturn, Instant returnedAt, int count) {
            this.uptimeAtReturn = uptimeAtReturn;
            this.returnedAt = returnedAt;
            this.count = count;
        }

        static Watch start(PayloadConnection connection, String scratch, DiagnosticRun.Launch l, Instant until) {
            List<RemoteProcess> watched = l.atStart().size() > WATCHED ? l.atStart().subList(0, WATCHED) : l.atStart();
            String w = ShellQuote.quote(DiagnosticRun.dir(scratch, l.window()) + "/watch");
            long tenths = Math.max(10, Duration.between(Instant.now(), until).toMillis() / 100);
            StringBuilder loop = new StringBuilder("sigkit_same() { s=''; { read -r s < \"/proc/$1/stat\"; } 2>/dev/null"
                    + " || return 1; set -f; set -- \"$2\" ${s##*) }; set +f; [ \"$2\" != Z ] && [ \"${21}\" = \"$1\" ]; }\n");
            loop.append("( set -C; : > ").append(w).append("; n=0; while [ $n -lt ").append(tenths).append(" ]; do a=0;");
            for (int i = 0; i < watched.size(); i++) {
                RemoteProcess p = watched.get(i);
                loop.append(" if [ -z \"$g").append(i).append("\" ]; then if sigkit_same ").append(p.pid()).append(' ')
                        .append(p.startTicks()).append("; then a=1; else g").append(i)
                        .append("=$(cut -d' ' -f1 /proc/uptime); echo \"gone ").append(i).append(" $g").append(i)
                        .append("\" >> ").append(w).append("; fi; fi;");
            }
            loop.append(" [ $a = 0 ] && break; sleep 0.1; n=$((n+1)); done; echo end >> ").append(w)
                    .append(" ) > /dev/null 2>&1 &");
            RemoteScript.Output out = RemoteScript.builder().code(loop.toString())
                    .section("uptime", "cut -d' ' -f1 /proc/uptime", 64).build()
                    .run(connection, CALL_TIMEOUT, "watch the work of window " + l.window().id());
            Instant at = Instant.now();
            return new Watch(DiagnosticRun.uptime(out.require().first("uptime"), out.purpose()).toMillis() / 1000.0, at,
                    watched.size());
        }

        /** The payload's uptime at a moment of the kit's clock (to within half a round trip). */
        Duration uptimeAt(Instant kitTime) {
            return Duration.ofMillis(Math.round(uptimeAtReturn * 1000)).plus(Duration.between(returnedAt, kitTime));
        }

        /**
         * The payload's uptime when the last watched process ended.
         *
         * @throws IncompleteOutputException when the watcher's notes are missing or malformed
         */
        Duration lastGone(Sections s) {
            List<Double> gone = new ArrayList<>();
            for (String line : s.lines("watch")) {
                String[] f = line.strip().split(" ");
                if (f.length == 3 && f[0].equals("gone")) {
                    gone.add(DiagnosticRun.uptime(f[2], "the watcher").toMillis() / 1000.0);
                }
            }
            if (gone.size() < count) {
                throw new IncompleteOutputException("the watcher of the window's work noted " + gone.size() + " of "
                        + count + " processes ending (it stopped early, or its file was changed)");
            }
            return Duration.ofMillis(Math.round(gone.stream().mapToDouble(Double::doubleValue).max().orElse(0) * 1000));
        }

        /** Whether the watcher noted the end of every watched process. */
        boolean complete(Sections s) {
            return s.lines("watch").stream().filter(l -> l.startsWith("gone ")).count() >= count;
        }
    }
}
