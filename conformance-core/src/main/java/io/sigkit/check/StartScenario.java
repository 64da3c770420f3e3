package io.sigkit.check;

import io.sigkit.bus.SignalResult;
import io.sigkit.bus.Window;
import io.sigkit.probe.RemoteProcess;
import io.sigkit.probe.RemoteScript;
import io.sigkit.probe.Sections;
import io.sigkit.transport.PayloadConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The window start, as the bus does it and as SIG-START-001..005 need it. One window at a time, so that the work each
 * start creates is known ({@link WindowWork}):
 * <ol>
 *   <li>the processes are listed, then the verbatim start signal for the main window is sent (SIG-START-001), then
 *       the processes are listed twice: the window's work is what is new (SIG-START-002);</li>
 *   <li>the session is closed, a new one opened, and the work looked for again (SIG-START-003); when it is gone, the
 *       same start in a session that stays open (a control window) tells "died with the session" from "finished";</li>
 *   <li>at the window's end time plus a grace, the work is looked for again (SIG-START-004), in the exec that
 *       launches the next window;</li>
 *   <li>then two diagnostic windows, each configured first (its exit status awaited), then started under a wrapper and
 *       its work captured: one with a file uplinked, one for a user with no inbox; halfway through them, the work of
 *       both is looked for and the starts' outcomes read (SIG-START-005; they also explain SIG-START-002).</li>
 * </ol>
 */
public final class StartScenario {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** How long after closing the start signal's session the kit looks for the work again. */
    static final Duration SESSION_END_SETTLE = Duration.ofSeconds(1);

    final Window main;
    final Instant signalledAt;
    final SignalResult start;
    final String loginShell;
    final WindowWork mainWork;
    final List<RemoteProcess> afterStart;
    /** The window's processes in the second listing after the start signal (empty: its work lasted under ~0.5 s). */
    final List<RemoteProcess> afterCapture;
    final Instant afterStartAt;
    final List<RemoteProcess> afterReconnect;
    final Instant afterReconnectAt;
    final List<RemoteProcess> afterEnd;
    final Instant afterEndAt;
    final Window control;
    final boolean controlSeen;
    final List<RemoteProcess> controlAlive;
    final Duration controlLookedAfter;
    /** The control window's configure (null: no control window was needed). */
    final SignalResult controlConfigure;
    final DiagnosticRun.Launch diagnostic;
    final DiagnosticRun.Launch emptyInbox;
    final List<RemoteProcess> diagnosticMid;
    final List<RemoteProcess> emptyInboxMid;
    final Instant midAt;
    /** How long after their starts (payload clock) the work of the diagnostic windows was looked for again. */
    final Duration diagnosticMidAfter;
    final Duration emptyInboxMidAfter;
    final DiagnosticRun.Status diagnosticStatus;
    final DiagnosticRun.Status emptyInboxStatus;
    final Instant statusAt;

    private StartScenario(Builder b) {
        this.main = b.main;
        this.signalledAt = b.signalledAt;
        this.start = b.start;
        this.loginShell = b.loginShell;
        this.mainWork = b.mainWork;
        this.afterStart = b.afterStart;
        this.afterCapture = b.afterCapture;
        this.afterStartAt = b.afterStartAt;
        this.afterReconnect = b.afterReconnect;
        this.afterReconnectAt = b.afterReconnectAt;
        this.afterEnd = b.afterEnd;
        this.afterEndAt = b.afterEndAt;
        this.control = b.control;
        this.controlSeen = b.controlSeen;
        this.controlAlive = b.controlAlive;
        this.controlLookedAfter = b.controlLookedAfter;
        this.controlConfigure = b.controlConfigure;
        this.diagnostic = b.diagnostic;
        this.emptyInbox = b.emptyInbox;
        this.diagnosticMid = b.diagnosticMid;
        this.emptyInboxMid = b.emptyInboxMid;
        this.midAt = b.midAt;
        this.diagnosticMidAfter = b.diagnosticMidAfter;
        this.emptyInboxMidAfter = b.emptyInboxMidAfter;
        this.diagnosticStatus = b.diagnosticStatus;
        this.emptyInboxStatus = b.emptyInboxStatus;
        this.statusAt = b.statusAt;
    }

    private static final class Builder {
        Window main;
        Instant signalledAt;
        SignalResult start;
        String loginShell;
        WindowWork mainWork;
        List<RemoteProcess> afterStart;
        List<RemoteProcess> afterCapture;
        Instant afterStartAt;
        List<RemoteProcess> afterReconnect;
        Instant afterReconnectAt;
        List<RemoteProcess> afterEnd;
        Instant afterEndAt;
        Window control;
        boolean controlSeen;
        List<RemoteProcess> controlAlive = List.of();
        Duration controlLookedAfter;
        SignalResult controlConfigure;
        DiagnosticRun.Launch diagnostic;
        DiagnosticRun.Launch emptyInbox;
        List<RemoteProcess> diagnosticMid;
        List<RemoteProcess> emptyInboxMid;
        Instant midAt;
        Duration diagnosticMidAfter;
        Duration emptyInboxMidAfter;
        DiagnosticRun.Status diagnosticStatus;
        DiagnosticRun.Status emptyInboxStatus;
        Instant statusAt;
    }

    static StartScenario run(CheckContext ctx) {
        Builder b = new Builder();
        PayloadConnection connection = ctx.bus().connection();
        Instant end = endTime(ctx.options().windowLength());
        b.main = ctx.plan().main(end);
        b.loginShell = ctx.facts().loginShell();
        String scratch = ctx.scratchDir();

        // 1. what runs before the signal; the signal; what is new right after it (listed twice, 0.3 s apart: work that
        // detaches or hands over while the first listing walks /proc is seen by the second)
        RemoteScript.Output before = WindowWork.addLook(WindowWork.addShell(RemoteScript.builder()), "before").build()
                .run(connection, CALL_TIMEOUT, "list processes before the start signal");
        long uid = WindowWork.uid(before);
        b.mainWork = WindowWork.since(b.main.id(), uid, scratch, WindowWork.Look.from(before, "before", Instant.now()));
        ctx.step("start signal for window " + b.main.id() + " (ends " + end + ")");
        b.signalledAt = Instant.now();
        b.start = ctx.bus().startWindow(b.main, ctx.options().startReturnBudget().plusSeconds(1));
        RemoteScript.Output captured = twoLooks(Duration.ofMillis(300))
                .run(connection, CALL_TIMEOUT, "list the window's processes after the start signal");
        b.afterStartAt = Instant.now();
        List<RemoteProcess> atFirst = b.mainWork.capture(WindowWork.Look.from(captured, "after1", b.afterStartAt));
        b.afterCapture = b.mainWork.capture(WindowWork.Look.from(captured, "after2", b.afterStartAt));
        b.afterStart = union(atFirst, b.afterCapture);

        // 2. the session ends, as the bus may cut the link
        ctx.step("closing the SSH session and reconnecting, as the bus may cut the link");
        Instant closedAt = Instant.now();
        connection.reconnect();
        // work that watches its session notices the hang-up only on its next look: give it that time (bounded so the
        // reference's work, which ends shortly before -t, is still seen running)
        sleepUntil(min(closedAt.plus(SESSION_END_SETTLE), end.minus(SESSION_END_SETTLE)));
        WindowWork.Look reconnected = look(connection, "list the window's processes after the reconnect");
        b.afterReconnect = b.mainWork.follow(reconnected);
        b.afterReconnectAt = reconnected.at();
        if (b.afterReconnect.isEmpty() && b.mainWork.anySeen() && !lookedTooLate(b.main, b.afterReconnectAt)) {
            // gone with its session, or finished that quickly? The same start in a session that stays open tells.
            // The control runs exactly as long as the main window: end times are whole seconds, so its start is sent
            // at the same fraction of a second as the main window's was, its end time as far from it (a control with
            // up to a second more would take "reached its end time" for "died with the session" on a slow machine).
            // It is configured first, as the main window was in the configure series and as the bus does.
            Window unplaced = ctx.plan().control(Instant.EPOCH);
            ctx.step("the work of window " + b.main.id() + " is gone: starting control window " + unplaced.id()
                    + " in an open session");
            b.controlConfigure = ctx.bus().configure(unplaced, ctx.configureTimeout());
        }
        if (b.controlConfigure != null && b.controlConfigure.succeeded()) {
            Duration length = Duration.between(b.signalledAt, b.main.endTime());
            Duration elapsed = Duration.between(b.signalledAt, b.afterReconnectAt);
            WindowWork controlWork = WindowWork.since(ctx.plan().control(Instant.EPOCH).id(), uid, scratch,
                    look(connection, "list processes before the control window"));
            Instant earliest = Instant.now().plusMillis(50).plus(length);
            b.control = ctx.plan().control(Instant.ofEpochSecond(earliest.getEpochSecond()
                    + (earliest.getNano() > 0 ? 1 : 0)));
            sleepUntil(b.control.endTime().minus(length));
            Instant controlStart = Instant.now();
            ctx.bus().startWindow(b.control, ctx.options().startReturnBudget().plusSeconds(1));
            // looked at a little later than the main window was: alive then, it had less time left than the main
            // window had, so the main window's work, gone, did not simply reach its end time
            Duration pause = elapsed.minus(Duration.between(controlStart, Instant.now())).plusMillis(200);
            RemoteScript.Output out = twoLooks(pause.isNegative() ? Duration.ZERO : pause)
                    .run(connection, CALL_TIMEOUT, "list control window " + b.control.id());
            Instant at = Instant.now();
            controlWork.capture(WindowWork.Look.from(out, "after1", at));
            b.controlAlive = controlWork.capture(WindowWork.Look.from(out, "after2", at));
            b.controlSeen = controlWork.anySeen();
            b.controlLookedAfter = Duration.between(controlStart, at);
        }

        // 3. the window's end time plus a grace: the first listing of the next window's exec
        // 4. then the diagnostic windows, one at a time: as for the main window (SIG-CONF-003), a file waits in the
        // inbox when the first is configured (when the inbox takes no file, SIG-FS-005 says why, it goes without)
        Window diagnostic = ctx.plan().diagnostic(Instant.EPOCH);
        try {
            ctx.bus().uplink(diagnostic.taskingUser(), ctx.diagnosticUplinkName(),
                    ("sigkit diagnostic run uplink\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (io.sigkit.transport.TransportException e) {
            ctx.step("no file uplinked for the diagnostic run: " + e.getMessage());
        }
        ctx.step("waiting for window " + b.main.id() + " to end (" + end + " + grace)");
        sleepUntil(end.plus(ctx.options().endGrace()));
        ctx.step("diagnostic window " + diagnostic.id() + ": configure, then start");
        b.diagnostic = launch(ctx, diagnostic, true);
        b.afterEnd = b.mainWork.follow(b.diagnostic.first());
        b.afterEndAt = b.diagnostic.first().at();
        Window emptyInbox = ctx.plan().emptyInbox(Instant.EPOCH);
        ctx.step("window " + emptyInbox.id() + " for a user with no inbox: configure, then start");
        // halfway through it, in the same exec: is the work of both still going, and how did their starts end?
        Duration half = ctx.options().windowLength().dividedBy(2);
        Duration pause = half.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : half;
        DiagnosticRun.Launch first = b.diagnostic;
        b.emptyInbox = DiagnosticRun.launch(connection, scratch, emptyInbox, ctx.options().windowLength(),
                ctx.configureTimeout(), false, l -> {
                    l.code("sleep " + seconds(pause));
                    WindowWork.addLook(l, "mid");
                    DiagnosticRun.addUptime(l, "mid-uptime");
                    DiagnosticRun.addStarted(l, scratch, first.window());
                    DiagnosticRun.addStarted(l, scratch, emptyInbox);
                    DiagnosticRun.addStatus(l, scratch, first.window());
                    return DiagnosticRun.addStatus(l, scratch, emptyInbox);
                });
        if (!b.emptyInbox.launched()) {
            throw new IllegalStateException("the kit could not create its directory for window " + emptyInbox.id()
                    + " under " + scratch);
        }
        Instant latestEnd = b.emptyInbox.window().endTime().isAfter(b.diagnostic.window().endTime())
                ? b.emptyInbox.window().endTime() : b.diagnostic.window().endTime();
        ctx.windowsRunUntil(latestEnd.plus(ctx.options().endGrace()));
        RemoteScript.Output midOut = b.emptyInbox.output();
        b.midAt = b.emptyInbox.launchedAt();
        WindowWork.Look midLook = WindowWork.Look.from(midOut, "mid", b.midAt);
        b.diagnosticMid = b.diagnostic.work().follow(midLook);
        b.emptyInboxMid = b.emptyInbox.work().follow(midLook);
        Sections sections = midOut.requireWhole();
        Duration midUptime = DiagnosticRun.uptime(sections.first("mid-uptime"), "the payload's uptime");
        b.diagnosticMidAfter = midUptime.minus(DiagnosticRun.startedUptime(sections, b.diagnostic.window()));
        b.emptyInboxMidAfter = midUptime.minus(DiagnosticRun.startedUptime(sections, b.emptyInbox.window()));
        b.diagnosticStatus = DiagnosticRun.parse(sections, b.diagnostic.window());
        b.emptyInboxStatus = DiagnosticRun.parse(sections, b.emptyInbox.window());
        b.statusAt = b.midAt;
        if ("running".equals(b.diagnosticStatus.state()) || "running".equals(b.emptyInboxStatus.state())) {
            // a start that has not returned yet: its outcome is read after its own end time and grace
            sleepUntil(latestEnd.plus(ctx.options().endGrace()));
            RemoteScript.Builder late = RemoteScript.builder();
            DiagnosticRun.addStatus(late, scratch, b.diagnostic.window());
            DiagnosticRun.addStatus(late, scratch, b.emptyInbox.window());
            Sections lateSections = late.build().run(connection, CALL_TIMEOUT, "the diagnostic windows' outcome")
                    .requireWhole();
            b.statusAt = Instant.now();
            b.diagnosticStatus = DiagnosticRun.parse(lateSections, b.diagnostic.window());
            b.emptyInboxStatus = DiagnosticRun.parse(lateSections, b.emptyInbox.window());
        }
        return new StartScenario(b);
    }

    private static DiagnosticRun.Launch launch(CheckContext ctx, Window window, boolean lookFirst) {
        DiagnosticRun.Launch l = DiagnosticRun.launch(ctx.bus().connection(), ctx.scratchDir(), window,
                ctx.options().windowLength(), ctx.configureTimeout(), lookFirst);
        if (!l.launched()) {
            throw new IllegalStateException("the kit could not create its directory for diagnostic window "
                    + window.id() + " under " + ctx.scratchDir());
        }
        return l;
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }

    /** A script with two listings, {@code after1} and {@code after2}, {@code pause} apart. */
    static RemoteScript twoLooks(Duration pause) {
        RemoteScript.Builder b = WindowWork.addLook(WindowWork.addShell(RemoteScript.builder()), "after1");
        b.code("sleep " + String.format(java.util.Locale.ROOT, "%.1f", pause.toMillis() / 1000.0));
        return WindowWork.addLook(b, "after2").build();
    }

    /** One listing (one exec). */
    static WindowWork.Look look(PayloadConnection connection, String purpose) {
        RemoteScript.Output out = WindowWork.addLook(WindowWork.addShell(RemoteScript.builder()), "look").build()
                .run(connection, CALL_TIMEOUT, purpose);
        return WindowWork.Look.from(out, "look", Instant.now());
    }

    static List<RemoteProcess> union(List<RemoteProcess> a, List<RemoteProcess> b) {
        List<RemoteProcess> all = new ArrayList<>(a);
        for (RemoteProcess p : b) {
            if (all.stream().noneMatch(q -> WindowWork.identity(q).equals(WindowWork.identity(p)))) {
                all.add(p);
            }
        }
        return List.copyOf(all);
    }

    /** Within this of the main window's end time, a look that finds its work gone cannot tell why it is gone. */
    static final Duration DECISIVE_BEFORE_END = Duration.ofMillis(200);

    /** Whether the look after the reconnect came too near the main window's end time (or after it) to be decisive. */
    static boolean lookedTooLate(Window main, Instant lookedAt) {
        return !lookedAt.isBefore(main.endTime().minus(DECISIVE_BEFORE_END));
    }

    /** The window end: whole UNIX seconds (the {@code -t} argument), at least {@code length} from now. */
    static Instant endTime(Duration length) {
        Instant raw = Instant.now().plus(length);
        return Instant.ofEpochSecond(raw.getEpochSecond() + (raw.getNano() > 0 ? 1 : 0));
    }

    static void sleepUntil(Instant when) {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the window to end", e);
            }
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
