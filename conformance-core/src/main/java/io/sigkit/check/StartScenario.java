package io.sigkit.check;

import io.sigkit.bus.SignalResult;
import io.sigkit.bus.Window;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.probe.IncompleteOutputException;
import io.sigkit.probe.ProcessListing;
import io.sigkit.probe.RemoteProcess;
import io.sigkit.probe.RemoteScript;
import io.sigkit.probe.Sections;
import io.sigkit.transport.PayloadConnection;
import io.sigkit.transport.ShellQuote;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The window start, as the bus does it and as SIG-START-001..005 need it. The windows overlap, but the work each start
 * creates is told apart one window at a time ({@link WindowWork}): the listings around each start run alone on the
 * session ({@link PayloadConnection#exclusively}), so no other command of the kit creates processes meanwhile.
 * It begins as soon as SIG-CONF-001 passed (the bus starts a window once its configure succeeded); the rest of the
 * configure series and the other configure checks go on meanwhile.
 * <ol>
 *   <li>the processes are listed, then the verbatim start signal for the main window is sent (SIG-START-001), then
 *       the processes are listed twice: the window's work is what is new (SIG-START-002). The same exec plans two
 *       listings on the payload (taken in the background at their time): the main window's work a second after that
 *       exec's shell has gone (SIG-START-003) and 0.2 s after its end time (SIG-START-004). Then the session is closed
 *       and a new one opened, as the bus may cut the link;</li>
 *   <li>two diagnostic windows, each in an exec of its own, are configured (exit status awaited), then started under a
 *       wrapper and their work captured: one with a file uplinked (what its configure leaves of it is removed before
 *       its start, so that no configure of another window sees it), one for a user with no inbox. They run while the
 *       main window runs and end with it when they can be looked at again in time. The first of these execs reads the
 *       listing planned after the reconnect; when the main window's work was gone then, the same start in a session
 *       that stays open (a control window) tells "died with the session" from "finished";</li>
 *   <li>halfway through the diagnostic windows, in one exec: their work is looked for and the starts' outcomes read
 *       (SIG-START-005; they also explain SIG-START-002), and the listing planned after the main window's end time
 *       read. Work still seen then is looked for again at the end time plus the grace (SIG-START-004 fails only on
 *       that look).</li>
 * </ol>
 * Nothing waits for the grace when the work has ended: cleanup waits, on the payload, only while a process still
 * names one of the run's windows.
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
        long uid;
        /** The exec that planned the main window's later listings, and its start (see {@link #plannedBase}). */
        RemoteScript.Output planning;
        PlannedBase planningBase;
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
        b.loginShell = ctx.facts().loginShell();
        String scratch = ctx.scratchDir();
        Duration grace = ctx.options().endGrace();
        Duration length = ctx.options().windowLength();

        // 1. alone on the session (no other command may create processes while the window's work is told apart, and
        // the session must end with nothing else in flight): what runs before the signal; the signal; what is new right
        // after it (listed twice, 0.3 s apart: work that detaches or hands over while the first listing walks /proc is
        // seen by the second); then the session ends, as the bus may cut the link
        connection.exclusively(() -> {
            Instant end = endTime(length);
            b.main = ctx.plan().main(end);
            RemoteScript.Output before = WindowWork.addLook(WindowWork.addShell(RemoteScript.builder()), "before")
                    .build().run(connection, CALL_TIMEOUT, "list processes before the start signal");
            b.uid = WindowWork.uid(before);
            b.mainWork = WindowWork.since(b.main.id(), b.uid, scratch,
                    WindowWork.Look.from(before, "before", Instant.now()));
            ctx.step("start signal for window " + b.main.id() + " (ends " + end + ")");
            b.signalledAt = Instant.now();
            b.start = ctx.bus().startWindow(b.main, ctx.options().startReturnBudget().plusSeconds(1));
            // the same exec plans two listings on the payload, taken in the background at their time whatever the
            // session is doing then, and read later: the main window's work after the session's end (SIG-START-003:
            // work that watches its session notices the hang-up only on its next look, so a second after this exec's
            // shell has gone, bounded so that the reference's work, which ends shortly before -t, is still seen
            // running) and shortly after its end time (SIG-START-004; when the work still runs then, it is looked for
            // again at the end time plus grace). Their times are read on the payload's boot clock against this exec's
            // return, so a listing is never dated earlier than it was taken.
            Instant planSent = Instant.now();
            // the first listing comes first: work that gives up at once is still seen by it
            RemoteScript.Builder capture = WindowWork.addShell(RemoteScript.builder());
            WindowWork.addLook(capture, "after1");
            capture.code(PLANNED_CLOCK);
            capture.section("planned-from", "echo \"$g0\"", 32);
            capture.code("sleep 0.3");
            WindowWork.addLook(capture, "after2");
            addPlannedLook(capture, plannedFile(scratch, b.main, "reconnect"), SESSION_END_SETTLE,
                    Duration.between(planSent, end.minus(SESSION_END_SETTLE)));
            addPlannedLook(capture, plannedFile(scratch, b.main, "end"), null,
                    Duration.between(planSent, end.plus(END_LOOK)));
            capture.section("planned-sent", "sigkit_cs", 32);
            RemoteScript.Output captured = capture.build()
                    .run(connection, CALL_TIMEOUT, "list the window's processes after the start signal");
            b.afterStartAt = Instant.now();
            b.planning = captured;
            b.planningBase = plannedBase(captured, b.afterStartAt);
            List<RemoteProcess> atFirst = b.mainWork.capture(WindowWork.Look.from(captured, "after1", b.afterStartAt));
            b.afterCapture = b.mainWork.capture(WindowWork.Look.from(captured, "after2", b.afterStartAt));
            b.afterStart = union(atFirst, b.afterCapture);
            ctx.step("closing the SSH session and reconnecting, as the bus may cut the link");
            Instant closed = Instant.now();
            connection.reconnect();
            return closed;
        });
        Instant end = b.main.endTime();
        Instant endLookAt = end.plus(grace);
        ctx.windowsRunUntil(endLookAt);

        // 2. the diagnostic windows run while the main window runs: as for the main window (SIG-CONF-003), a file waits
        // in the inbox when the first is configured (when the inbox takes no file, SIG-FS-005 says why, it goes without)
        Window diagnostic = ctx.plan().diagnostic(Instant.EPOCH);
        Window emptyInbox = ctx.plan().emptyInbox(Instant.EPOCH);
        // in one exec, alone on the session: each diagnostic window configured, started and captured, then the listing
        // planned after the reconnect read
        Instant[] sentAt = new Instant[1];
        // they end with the main window when that leaves time to look at them again (at least LATER_LOOK_MIN after
        // their launch, LATER_LOOK_MARGIN before their end time, below), else that much later; the seconds their
        // configure took are added
        Duration half = length.dividedBy(2).compareTo(LATER_LOOK_MIN) < 0 ? LATER_LOOK_MIN : length.dividedBy(2);
        Duration lookable = LATER_LOOK_MIN.plus(LATER_LOOK_MARGIN).plus(LAUNCH_TAKES);
        ctx.step("diagnostic windows " + diagnostic.id() + " and " + emptyInbox.id()
                + " (a user with no inbox): configure, then start, while window " + b.main.id() + " runs");
        // as the bus does before it uplinks: the inbox is made when missing (the configure series, which would make it,
        // may not have placed its files yet); when it cannot be made, the window goes without its file (SIG-FS-005 says
        // why)
        try {
            ctx.bus().ensureInbox(diagnostic.taskingUser());
        } catch (RuntimeException e) {
            ctx.step("no inbox for the diagnostic window's file: " + e.getMessage());
        }
        RemoteScript.Output launchOut = connection.exclusively(() -> {
            // the file is placed by the same exec, after the planned listings are on their way (no SFTP round trip may
            // delay them), into the inbox when it exists (SIG-FS-005 made it; when the inbox takes no file, SIG-FS-005
            // says why, and the window goes without), and what configure left of it is removed right after that
            // configure, before the start (as the configure series does with its uplinks; the main window starts with
            // an empty inbox too): no configure of another window may see it (a configure that fails on a file it
            // cannot take would fail the checks of other windows)
            String uplinkPath = Window.INBOX_DIR + diagnostic.taskingUser() + "/" + ctx.diagnosticUplinkName();
            ctx.bus().manifest().created(CleanupItem.Kind.FILE, uplinkPath);
            String up = ShellQuote.quote(uplinkPath);
            String inbox = ShellQuote.quote(Window.INBOX_DIR + diagnostic.taskingUser());
            RemoteScript.Builder l = RemoteScript.builder();
            WindowWork.addShell(l);
            l.code(PLANNED_CLOCK);
            l.code("c=0; k=0");
            l.code("pl=0; if [ -d " + inbox + " ] && ( umask 022; set -C; printf 'sigkit diagnostic run uplink\\n' > "
                    + up + " ) 2>/dev/null; then pl=1; fi");
            l.section("uplink", "echo \"$pl\"", 32);
            // counted from now (the kit may have waited for the session): with the main window's end time when that
            // leaves the window time to be looked at, else later
            Instant base = max(end, endTime(lookable));
            DiagnosticRun.addLaunch(l, scratch, diagnostic, base, ctx.configureTimeout(), base, d -> d.section(
                    "uplink-left", "if [ \"$pl\" = 1 ] && [ -e " + up + " ]; then rm -f -- " + up
                    + " && echo removed; else echo gone; fi", 32));
            addPlannedLookRead(l, plannedFile(scratch, b.main, "reconnect"), "reconnect", Duration.ZERO);
            sentAt[0] = Instant.now();
            RemoteScript.Output out = l.build().run(connection, ctx.configureTimeout().plusSeconds(30),
                    "configure and start window " + diagnostic.id() + "; window " + b.main.id() + " after the reconnect");
            if (out.sections().has("uplink") && !"1".equals(out.sections().first("uplink").strip())) {
                ctx.bus().manifest().resolved(CleanupItem.Kind.FILE, uplinkPath, true,
                        "not placed: the inbox " + Window.INBOX_DIR + diagnostic.taskingUser() + "/ is missing or the"
                                + " file existed; the diagnostic window went without");
            } else if (out.sections().has("uplink-left")
                    && "removed".equals(out.sections().first("uplink-left").strip())) {
                ctx.bus().manifest().resolved(CleanupItem.Kind.FILE, uplinkPath, true,
                        "left in the inbox by the diagnostic window's configure; removed before its start");
            }
            return out;
        });
        // the second in an exec of its own: each exec's listings stay within the kit's cap on a script's output. It
        // ends no earlier than the first (started later, with no more time, its work cannot be taken for ending early)
        Instant firstEnd = DiagnosticRun.launchedEnd(launchOut, diagnostic);
        RemoteScript.Output secondOut = connection.exclusively(() -> {
            RemoteScript.Builder l = RemoteScript.builder();
            WindowWork.addShell(l);
            l.code("c=0; k=0");
            Instant base = max(end, endTime(lookable));
            DiagnosticRun.addLaunch(l, scratch, emptyInbox, base, ctx.configureTimeout(), max(base, firstEnd),
                    UnaryOperator.identity());
            return l.build().run(connection, ctx.configureTimeout().plusSeconds(30), "configure and start window "
                    + emptyInbox.id());
        });
        Instant launchedAt = Instant.now();
        Instant sent = sentAt[0];
        WindowWork.Look reconnected = plannedLook(launchOut, "reconnect", b.planning, b.planningBase);
        b.afterReconnect = b.mainWork.follow(reconnected);
        b.afterReconnectAt = reconnected.at();
        b.diagnostic = DiagnosticRun.parseLaunch(launchOut, scratch, diagnostic, sent, launchedAt, null);
        b.emptyInbox = DiagnosticRun.parseLaunch(secondOut, scratch, emptyInbox, sent, launchedAt, null);
        for (DiagnosticRun.Launch d : List.of(b.diagnostic, b.emptyInbox)) {
            if (!d.launched()) {
                throw new IllegalStateException("the kit could not create its directory for diagnostic window "
                        + d.window().id() + " under " + scratch);
            }
        }
        Instant firstDiagEnd = min(b.diagnostic.window().endTime(), b.emptyInbox.window().endTime());
        Instant latestEnd = max(b.emptyInbox.window().endTime(), b.diagnostic.window().endTime());
        ctx.windowsRunUntil(latestEnd.plus(grace));

        if (b.afterReconnect.isEmpty() && b.mainWork.anySeen() && !lookedTooLate(b.main, b.afterReconnectAt)) {
            // gone with its session, or finished that quickly? The same start in a session that stays open tells.
            control(ctx, b, scratch);
        }

        // 3. later, in one exec: the work of both diagnostic windows and how their starts ended (SIG-START-005; they
        // also explain SIG-START-002), halfway through them (at least 1 s after their start, at least 1 s before their
        // end time); then the listing taken at the main window's end time plus grace (SIG-START-004), waited for
        Instant midAt = max(launchedAt.plus(LATER_LOOK_MIN), min(launchedAt.plus(half),
                firstDiagEnd.minus(LATER_LOOK_MARGIN)));
        sleepUntil(midAt);
        RemoteScript.Builder later = WindowWork.addShell(RemoteScript.builder());
        WindowWork.addLook(later, "mid");
        DiagnosticRun.addUptime(later, "mid-uptime");
        DiagnosticRun.addStarted(later, scratch, b.diagnostic.window());
        DiagnosticRun.addStarted(later, scratch, b.emptyInbox.window());
        DiagnosticRun.addStatus(later, scratch, b.diagnostic.window());
        DiagnosticRun.addStatus(later, scratch, b.emptyInbox.window());
        addPlannedLookRead(later, plannedFile(scratch, b.main, "end"), "end",
                Duration.between(Instant.now(), end.plus(END_LOOK)));
        b.midAt = Instant.now(); // the listing and the outcomes come first in the script
        RemoteScript.Output midOut = later.build().run(connection,
                CALL_TIMEOUT.plus(max(Duration.ZERO, Duration.between(b.midAt, end.plus(END_LOOK)))),
                "the diagnostic windows' work and outcome; window " + b.main.id() + " at its end time");
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
        WindowWork.Look atEnd = plannedLook(midOut, "end", b.planning, b.planningBase);
        b.afterEnd = b.mainWork.follow(atEnd);
        b.afterEndAt = atEnd.at();
        if (!b.afterEnd.isEmpty() && b.afterEndAt.isBefore(endLookAt)) {
            // still working shortly after its end time: looked for again once the grace is over
            sleepUntil(endLookAt);
            WindowWork.Look late = look(connection, "list window " + b.main.id() + " at its end time plus grace");
            b.afterEnd = b.mainWork.follow(late);
            b.afterEndAt = late.at();
        }
        if ("running".equals(b.diagnosticStatus.state()) || "running".equals(b.emptyInboxStatus.state())) {
            // a start that has not returned yet: its outcome is read after its own end time and grace
            sleepUntil(latestEnd.plus(grace));
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

    /**
     * The control window of SIG-START-003, alone on the session: a listing, the same start in a session that stays
     * open, and two listings after as long as the main window had run when its work was found gone.
     */
    private static void control(CheckContext ctx, Builder b, String scratch) {
        PayloadConnection connection = ctx.bus().connection();
        // The control runs exactly as long as the main window: end times are whole seconds, so its start is sent at
        // the same fraction of a second as the main window's was, its end time as far from it. A control with up to a
        // second more (or less) than the main window would tell "died with the session" from "reached its end time"
        // wrongly when the kit's look comes near the end (a slow machine, a short window).
        Duration length = Duration.between(b.signalledAt, b.main.endTime());
        Duration elapsed = Duration.between(b.signalledAt, b.afterReconnectAt);
        Window unplaced = ctx.plan().control(Instant.EPOCH);
        long controlId = unplaced.id();
        ctx.step("the work of window " + b.main.id() + " is gone: starting control window " + controlId
                + " in an open session");
        // configured first, as the main window was in the configure series and as the bus does
        b.controlConfigure = ctx.bus().configure(unplaced, ctx.configureTimeout());
        if (!b.controlConfigure.succeeded()) {
            return;
        }
        connection.exclusively(() -> {
            // listed afresh: the diagnostic windows started since the main window's listing
            WindowWork controlWork = WindowWork.since(controlId, b.uid, scratch,
                    look(connection, "list processes before control window " + controlId));
            Instant earliest = Instant.now().plusMillis(50).plus(length);
            Instant end = Instant.ofEpochSecond(earliest.getEpochSecond() + (earliest.getNano() > 0 ? 1 : 0));
            b.control = ctx.plan().control(end);
            sleepUntil(end.minus(length));
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
            return null;
        });
        ctx.windowsRunUntil(b.control.endTime().plus(ctx.options().endGrace()));
    }

    /** Within this of the main window's end time, a look that finds its work gone cannot tell why it is gone. */
    static final Duration DECISIVE_BEFORE_END = Duration.ofMillis(200);

    /** Whether the look after the reconnect came too near the main window's end time (or after it) to be decisive. */
    static boolean lookedTooLate(Window main, Instant lookedAt) {
        return !lookedAt.isBefore(main.endTime().minus(DECISIVE_BEFORE_END));
    }

    /** The diagnostic windows are looked at again at least this long after their start... */
    static final Duration LATER_LOOK_MIN = Duration.ofSeconds(1);
    /** ...and at least this long before their end time. */
    static final Duration LATER_LOOK_MARGIN = Duration.ofMillis(500);
    /**
     * About how long the launch of a diagnostic window takes after its configure (the listings around its start; its
     * -t adds the time configure took).
     */
    static final Duration LAUNCH_TAKES = Duration.ofMillis(800);

    /** A file a planned listing of the main window's work is written to, in the run's scratch directory. */
    static String plannedFile(String scratch, Window main, String what) {
        return scratch + "/" + what + "-" + Long.toUnsignedString(main.id());
    }

    /** Shell code: {@code sigkit_cs} prints the payload's boot clock in centiseconds; {@code g0} is it now. */
    static final String PLANNED_CLOCK = "sigkit_cs() { u=$(cut -d' ' -f1 /proc/uptime); echo \"${u%.*}${u#*.}\"; };"
            + " g0=$(sigkit_cs)";

    /**
     * Adds a listing planned {@code after} the script's start ({@code g0} of {@link #PLANNED_CLOCK}, on the payload's
     * boot clock), taken in the background whatever the script does then (SIGHUP ignored: it may outlive the script's
     * session), into {@code file} (the boot clock into
     * {@code file.up}, the listing shell's PID into {@code file.pid}). Only kit-written text: the path is quoted, the
     * delay a number.
     */
    static void addPlannedLook(RemoteScript.Builder b, String file, Duration afterShellEnd, Duration limit) {
        String f = ShellQuote.quote(file);
        long cs = Math.max(0, limit.toMillis() / 10);
        // w: when to list, in centiseconds of the boot clock: the limit, or sooner, that long after the planning
        // shell ($$, the kit's own) has exited (waited for 30 s at most)
        String when = afterShellEnd == null ? "w=$((g0 + " + cs + "));"
                : "i=0; while kill -0 $$ 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done;"
                + " w=$(($(sigkit_cs) + " + afterShellEnd.toMillis() / 10 + ")); if [ $w -gt $((g0 + " + cs + ")) ];"
                + " then w=$((g0 + " + cs + ")); fi;";
        b.code("( trap '' HUP; set -C; " + when + " r=$((w - $(sigkit_cs))); if [ $r -gt 0 ]; then"
                + " sleep $((r / 100)).$((r % 100 / 10))$((r % 10)); fi;"
                + " read -r s < /proc/self/stat; echo \"${s%% *}\" > " + f + ".pid;"
                + " cut -d' ' -f1 /proc/uptime > " + f + ".up;"
                // the listing's own status is its last command's (a process that ended while it was listed makes it
                // 1): the file is kept whatever it is, never dropped
                + " { " + RemoteProcess.LIST_CODE + "; } > " + f + ".tmp; mv -f " + f + ".tmp " + f
                + " ) < /dev/null > /dev/null 2>&1 &");
    }

    /**
     * Adds sections {@code <name>-pid}, {@code <name>-up} and {@code <name>}: a planned listing, waited for (until
     * {@code due} and {@link #PLANNED_WAIT} more at most).
     */
    static void addPlannedLookRead(RemoteScript.Builder b, String file, String name, Duration due) {
        String f = ShellQuote.quote(file);
        long tenths = (Math.max(0, due.toMillis()) + PLANNED_WAIT.toMillis()) / 100;
        b.code("i=0; while [ ! -f " + f + " ] && [ $i -lt " + tenths + " ]; do sleep 0.1; i=$((i+1)); done");
        b.section(name + "-pid", "cat " + f + ".pid 2>/dev/null", 32);
        b.section(name + "-up", "cat " + f + ".up 2>/dev/null", 64);
        b.section(name, "cat " + f + " 2>/dev/null", ProcessListing.CAP);
    }

    /** How long past its time a script waits at most for a planned listing it reads. */
    static final Duration PLANNED_WAIT = Duration.ofSeconds(15);

    /**
     * How long after the main window's end time its work is first looked for (SIG-START-004): gone then, it exited by
     * the end time plus grace; still there, it is looked for again at the end time plus grace.
     */
    static final Duration END_LOOK = Duration.ofMillis(200);

    /**
     * When, on the kit's clock, the payload's boot clock read {@code uptimeCentis}: at the latest. The planning exec's
     * first reading ({@code planned-from}) came no later than the exec's return less the boot-clock time the exec ran
     * on after it ({@code planned-sent}), so a planned listing is never dated earlier than it was taken (a listing
     * dated too early would make a control window look too early, and a conformant payload fail SIG-START-003).
     */
    record PlannedBase(Instant at, long uptimeCentis) {
    }

    static PlannedBase plannedBase(RemoteScript.Output planning, Instant returnedAt) {
        Sections s = planning.require();
        String from = s.first("planned-from").strip();
        String sent = s.first("planned-sent").strip();
        if (!from.matches("\\d{1,14}") || !sent.matches("\\d{1,14}")) {
            throw new IncompleteOutputException(planning.purpose() + ": the payload's boot clock is missing");
        }
        long g0 = Long.parseLong(from);
        long ran = Math.max(0, Long.parseLong(sent) - g0);
        return new PlannedBase(returnedAt.minusMillis(ran * 10), g0);
    }

    /**
     * A planned listing, as read (section {@code name}): made by the planning script's shell code, so its records carry
     * that script's nonce; its time is from the payload's boot clock when it was taken, against {@code base}.
     *
     * @throws IncompleteOutputException when the listing never appeared or is malformed
     */
    static WindowWork.Look plannedLook(RemoteScript.Output read, String name, RemoteScript.Output planning,
                                       PlannedBase base) {
        Sections s = read.require();
        String pid = s.first(name + "-pid").strip();
        String up = s.first(name + "-up").strip();
        if (!pid.matches("\\d{1,10}") || !s.has(name) || s.bytes(name).length == 0) {
            throw new IncompleteOutputException(read.purpose() + ": the listing of window processes planned on the"
                    + " payload (" + name + ") is missing (it was not taken, or its files were changed)");
        }
        Duration sinceBase = DiagnosticRun.uptime(up, "the planned listing's boot clock")
                .minusMillis(base.uptimeCentis() * 10);
        List<RemoteProcess> processes = RemoteProcess.parseListing(s.bytes(name), planning.nonce());
        return new WindowWork.Look(base.at().plus(sinceBase), Long.parseLong(pid), processes);
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

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
