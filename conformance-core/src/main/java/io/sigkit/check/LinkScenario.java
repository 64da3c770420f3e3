package io.sigkit.check;

import io.sigkit.bus.Window;
import io.sigkit.probe.ProcessListing;
import io.sigkit.probe.RemoteProcess;
import io.sigkit.probe.RemoteScript;
import io.sigkit.run.LinkControl;
import io.sigkit.transport.PayloadConnection;
import io.sigkit.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * SIG-START-006: a window is started (diagnostic run: configure, then start), its payload_exec is looked for, the link
 * is cut and restored, and payload_exec is looked for again — over a new session if the old one did not survive the
 * cut. A payload_exec usually detaches, so its exit status says little: the process is what shows the work going on.
 * When it is gone after the cut, the same start with no cut (a control window) tells "abandoned the window" from
 * "finished that quickly". After the window's end, the diagnostic run's outcome is read.
 */
public final class LinkScenario {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STALLED_CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final String BEFORE_CUT_SECONDS = "0.3";

    final Window window;
    final Duration linkDownFor;
    final DiagnosticRun.Status status;
    final boolean reconnected;
    final List<RemoteProcess> beforeCut;
    final List<RemoteProcess> afterRestore;
    final Duration lookedAfter;
    final Window control;
    final boolean controlAlive;

    private LinkScenario(Builder b) {
        this.window = b.window;
        this.linkDownFor = b.linkDownFor;
        this.status = b.status;
        this.reconnected = b.reconnected;
        this.beforeCut = b.beforeCut;
        this.afterRestore = b.afterRestore;
        this.lookedAfter = b.lookedAfter;
        this.control = b.control;
        this.controlAlive = b.controlAlive;
    }

    private static final class Builder {
        Window window;
        Duration linkDownFor;
        DiagnosticRun.Status status;
        boolean reconnected;
        List<RemoteProcess> beforeCut = List.of();
        List<RemoteProcess> afterRestore = List.of();
        Duration lookedAfter;
        Window control;
        boolean controlAlive;
    }

    static LinkScenario run(CheckContext ctx) {
        Builder b = new Builder();
        LinkControl link = ctx.options().linkControl();
        PayloadConnection connection = ctx.bus().connection();
        Instant end = StartScenario.endTime(ctx.options().windowLength());
        b.window = ctx.plan().linkDrop(end);
        String scratch = ctx.scratchDir();
        Instant started = Instant.now();
        // one exec: launch, let payload_exec start (and detach), list
        RemoteScript.Output launched = ProcessListing.add(RemoteScript.builder()
                .code(DiagnosticRun.launchCode(scratch, b.window)).code("sleep " + BEFORE_CUT_SECONDS))
                .build().run(connection, CALL_TIMEOUT, "start the link-drop window and list processes");
        b.beforeCut = StartScenario.windowProcesses(ProcessListing.from(launched), b.window);
        Duration down = ctx.options().windowLength().dividedBy(3);
        if (down.compareTo(Duration.ofSeconds(2)) > 0) {
            down = Duration.ofSeconds(2);
        }
        b.linkDownFor = down;
        ctx.step("cutting the payload's link for " + down.toMillis() + " ms");
        try {
            link.down();
            StartScenario.sleepUntil(Instant.now().plus(down));
        } catch (Exception e) {
            throw new IllegalStateException("the link-down hook failed: " + e.getMessage(), e);
        } finally {
            try {
                link.up();
            } catch (Exception e) {
                throw new IllegalStateException("the link-up hook failed: " + e.getMessage(), e);
            }
        }
        List<RemoteProcess> listed;
        try {
            RemoteScript.Output out = ProcessListing.script().run(connection, STALLED_CALL_TIMEOUT, "list processes after the cut");
            if (out.exec().timedOut()) {
                throw new IllegalStateException("session stalled");
            }
            listed = ProcessListing.from(out);
        } catch (TransportException | IllegalStateException e) {
            ctx.step("the session did not survive the cut: reconnecting");
            connection.reconnect();
            b.reconnected = true;
            listed = ProcessListing.list(connection, CALL_TIMEOUT, "list processes after the cut, reconnected");
        }
        b.lookedAfter = Duration.between(started, Instant.now());
        b.afterRestore = StartScenario.windowProcesses(listed, b.window);
        if (!b.beforeCut.isEmpty() && b.afterRestore.isEmpty()) {
            // abandoned, or finished that quickly? The same start with no cut tells.
            // a fresh end time: the control must be able to run as long as the first window had run when looked at
            b.control = ctx.plan().linkControl(StartScenario.endTime(ctx.options().windowLength()));
            ctx.step("payload_exec for window " + b.window.id() + " is gone: starting control window " + b.control.id()
                    + " with the link up");
            Instant controlStart = Instant.now();
            connection.exec(DiagnosticRun.launchCode(scratch, b.control), CALL_TIMEOUT);
            StartScenario.sleepUntil(controlStart.plus(b.lookedAfter));
            b.controlAlive = !StartScenario.listWindowProcesses(connection, b.control).isEmpty();
        }
        StartScenario.sleepUntil(end.plus(ctx.options().endGrace()));
        RemoteScript.Output result = DiagnosticRun.addStatus(RemoteScript.builder(), scratch, b.window).build()
                .run(connection, CALL_TIMEOUT, "the link-drop window's diagnostic run");
        b.status = DiagnosticRun.parse(result.requireWhole(), b.window);
        return new LinkScenario(b);
    }
}
