package io.sigkit.check;

import io.sigkit.bus.SignalResult;
import io.sigkit.bus.Window;
import io.sigkit.probe.ProcessListing;
import io.sigkit.probe.RemoteProcess;
import io.sigkit.probe.RemoteScript;
import io.sigkit.probe.Sections;
import io.sigkit.transport.PayloadConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The window start, as the bus does it and as SIG-START-001..005 need it, in four round trips:
 * <ol>
 *   <li>the verbatim start signal for the main window (SIG-START-001);</li>
 *   <li>one exec that starts the diagnostic runs (main user, with a file uplinked for it just before the signal, and
 *       a user with no inbox for SIG-START-005), each configured first as the bus does, and lists processes —
 *       payload_exec for the main window should be there (SIG-START-002);</li>
 *   <li>the session is closed, a new one opened, and processes listed again (SIG-START-003);</li>
 *   <li>after the window's end time plus a grace: processes and the diagnostic runs' outcomes (SIG-START-004).</li>
 * </ol>
 */
public final class StartScenario {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** How long after closing the start signal's session the kit looks for payload_exec again. */
    static final Duration SESSION_END_SETTLE = Duration.ofSeconds(1);

    final Window main;
    final Window diagnostic;
    final Window emptyInbox;
    final Instant signalledAt;
    final SignalResult start;
    final String loginShell;
    final List<RemoteProcess> afterStart;
    final Instant afterStartAt;
    final List<RemoteProcess> afterReconnect;
    final Instant afterReconnectAt;
    final List<RemoteProcess> afterEnd;
    final Instant afterEndAt;
    final DiagnosticRun.Status diagnosticStatus;
    final DiagnosticRun.Status emptyInboxStatus;
    final Window control;
    final boolean controlAlive;
    final Duration controlLookedAfter;

    private StartScenario(Builder b) {
        this.control = b.control;
        this.controlAlive = b.controlAlive;
        this.controlLookedAfter = b.controlLookedAfter;
        this.main = b.main;
        this.diagnostic = b.diagnostic;
        this.emptyInbox = b.emptyInbox;
        this.signalledAt = b.signalledAt;
        this.start = b.start;
        this.loginShell = b.loginShell;
        this.afterStart = b.afterStart;
        this.afterStartAt = b.afterStartAt;
        this.afterReconnect = b.afterReconnect;
        this.afterReconnectAt = b.afterReconnectAt;
        this.afterEnd = b.afterEnd;
        this.afterEndAt = b.afterEndAt;
        this.diagnosticStatus = b.diagnosticStatus;
        this.emptyInboxStatus = b.emptyInboxStatus;
    }

    private static final class Builder {
        Window main;
        Window diagnostic;
        Window emptyInbox;
        Instant signalledAt;
        SignalResult start;
        String loginShell;
        List<RemoteProcess> afterStart;
        Instant afterStartAt;
        List<RemoteProcess> afterReconnect;
        Instant afterReconnectAt;
        List<RemoteProcess> afterEnd;
        Instant afterEndAt;
        DiagnosticRun.Status diagnosticStatus;
        DiagnosticRun.Status emptyInboxStatus;
        Window control;
        boolean controlAlive;
        Duration controlLookedAfter;
    }

    static StartScenario run(CheckContext ctx) {
        Builder b = new Builder();
        PayloadConnection connection = ctx.bus().connection();
        Instant end = endTime(ctx.options().windowLength());
        b.main = ctx.plan().main(end);
        b.diagnostic = ctx.plan().diagnostic(end);
        b.emptyInbox = ctx.plan().emptyInbox(end);
        b.loginShell = ctx.facts().loginShell();
        String scratch = ctx.scratchDir();

        // as for the main window (SIG-CONF-003), a file waits in the inbox when the diagnostic run is configured; when
        // the inbox takes no file (SIG-FS-005 says why), the diagnostic run goes without
        try {
            ctx.bus().uplink(b.diagnostic.taskingUser(), ctx.diagnosticUplinkName(),
                    ("sigkit diagnostic run uplink\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (io.sigkit.transport.TransportException e) {
            ctx.step("no file uplinked for the diagnostic run: " + e.getMessage());
        }
        ctx.step("start signal for window " + b.main.id() + " (ends " + end + ")");
        b.signalledAt = Instant.now();
        b.start = ctx.bus().startWindow(b.main, ctx.options().startReturnBudget().plusSeconds(1));

        RemoteScript.Builder launch = RemoteScript.builder()
                .code(DiagnosticRun.launchCode(scratch, b.diagnostic))
                .code(DiagnosticRun.launchCode(scratch, b.emptyInbox));
        // listed twice, 0.2 s apart: a payload_exec that detaches (fork, exit, fork) while the first listing
        // walks /proc has a new PID that listing never sees
        ProcessListing.add(launch, "processes");
        launch.code("sleep 0.2");
        ProcessListing.add(launch, "processes-again");
        RemoteScript.Output launched = launch.build().run(connection, CALL_TIMEOUT, "start diagnostic runs and list processes");
        b.afterStartAt = Instant.now();
        List<RemoteProcess> seen = new java.util.ArrayList<>(ProcessListing.from(launched, "processes"));
        seen.addAll(ProcessListing.from(launched, "processes-again"));
        b.afterStart = windowProcesses(seen, b.main);

        ctx.step("closing the SSH session and reconnecting, as the bus may cut the link");
        Instant closedAt = Instant.now();
        connection.reconnect();
        // a payload_exec that watches its session notices the hang-up only on its next look: give it that time
        // (bounded so the reference's work, which ends shortly before -t, is still seen running)
        Instant lookAt = min(closedAt.plus(SESSION_END_SETTLE), end.minus(SESSION_END_SETTLE));
        sleepUntil(lookAt);
        b.afterReconnect = listWindowProcesses(connection, b.main);
        b.afterReconnectAt = Instant.now();
        if (b.afterReconnect.isEmpty()) {
            // gone with its session, or finished that quickly? The same start in a session that stays open tells.
            // a fresh end time: the control must be able to run as long as the main window had run when looked at
            b.control = ctx.plan().control(endTime(ctx.options().windowLength()));
            Duration elapsed = Duration.between(b.signalledAt, b.afterReconnectAt);
            ctx.step("payload_exec for window " + b.main.id() + " is gone: starting control window " + b.control.id()
                    + " in an open session");
            Instant controlStart = Instant.now();
            ctx.bus().startWindow(b.control, ctx.options().startReturnBudget().plusSeconds(1));
            sleepUntil(controlStart.plus(elapsed));
            b.controlAlive = !listWindowProcesses(connection, b.control).isEmpty();
            b.controlLookedAfter = Duration.between(controlStart, Instant.now());
        }

        Instant checkAt = end.plus(ctx.options().endGrace());
        ctx.step("waiting for window " + b.main.id() + " to end (" + end + " + grace)");
        sleepUntil(checkAt);

        RemoteScript.Builder status = ProcessListing.add(RemoteScript.builder());
        DiagnosticRun.addStatus(status, scratch, b.diagnostic);
        DiagnosticRun.addStatus(status, scratch, b.emptyInbox);
        RemoteScript.Output after = status.build().run(connection, CALL_TIMEOUT, "processes and diagnostic runs after the window");
        b.afterEndAt = Instant.now();
        Sections sections = after.requireWhole();
        b.afterEnd = windowProcesses(ProcessListing.from(after), b.main);
        b.diagnosticStatus = DiagnosticRun.parse(sections, b.diagnostic);
        b.emptyInboxStatus = DiagnosticRun.parse(sections, b.emptyInbox);
        return new StartScenario(b);
    }

    /** The window end: whole UNIX seconds (the {@code -t} argument), at least {@code length} from now. */
    static Instant endTime(Duration length) {
        Instant raw = Instant.now().plus(length);
        return Instant.ofEpochSecond(raw.getEpochSecond() + (raw.getNano() > 0 ? 1 : 0));
    }

    /** Lists the payload's processes (one exec) and keeps the window's payload_exec. */
    static List<RemoteProcess> listWindowProcesses(PayloadConnection connection, Window window) {
        return windowProcesses(ProcessListing.list(connection, CALL_TIMEOUT, "list window " + window.id()), window);
    }

    /** The window's payload_exec among the processes (not zombies, not the kit's wrappers, not a configure). */
    static List<RemoteProcess> windowProcesses(List<RemoteProcess> processes, Window window) {
        java.util.Map<String, RemoteProcess> unique = new java.util.LinkedHashMap<>();
        processes.stream().filter(p -> !p.zombie()).filter(p -> p.isPayloadExecFor(window.id()))
                .filter(p -> !p.argv().contains("sigkit-diag"))
                .filter(p -> !p.argv().contains("-e")) // the configure a diagnostic run does first
                .forEach(p -> unique.putIfAbsent(p.pid() + "/" + p.startTicks(), p));
        return List.copyOf(unique.values());
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
