package io.sigkit.check;

import io.sigkit.bus.Window;
import io.sigkit.probe.Sections;
import io.sigkit.run.LinkControl;
import io.sigkit.transport.ExecResult;
import io.sigkit.transport.PayloadConnection;
import io.sigkit.transport.TransportException;
import java.time.Duration;
import java.time.Instant;

/**
 * SIG-START-006: a window is started (diagnostic run), the link is cut shortly after, restored, and after the window's
 * end the run's outcome is read — over a new session if the old one did not survive the cut.
 */
public final class LinkScenario {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    final Window window;
    final Duration linkDownFor;
    final DiagnosticRun.Status status;
    final boolean reconnected;

    private LinkScenario(Window window, Duration linkDownFor, DiagnosticRun.Status status, boolean reconnected) {
        this.window = window;
        this.linkDownFor = linkDownFor;
        this.status = status;
        this.reconnected = reconnected;
    }

    static LinkScenario run(CheckContext ctx) {
        LinkControl link = ctx.options().linkControl();
        PayloadConnection connection = ctx.bus().connection();
        Instant end = StartScenario.endTime(ctx.options().windowLength());
        Window window = ctx.plan().linkDrop(end);
        String scratch = ctx.scratchDir();
        connection.exec(DiagnosticRun.launchScript(scratch, window), CALL_TIMEOUT);
        Duration down = ctx.options().windowLength().dividedBy(2);
        if (down.compareTo(Duration.ofSeconds(2)) > 0) {
            down = Duration.ofSeconds(2);
        }
        ctx.step("cutting the payload's link for " + down.toMillis() + " ms");
        try {
            StartScenario.sleepUntil(Instant.now().plusMillis(300));
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
        StartScenario.sleepUntil(end.plus(ctx.options().endGrace()));
        String script = DiagnosticRun.statusScript(scratch, window);
        boolean reconnected = false;
        ExecResult result;
        try {
            result = connection.exec(script, Duration.ofSeconds(10));
            if (result.timedOut()) {
                throw new IllegalStateException("session stalled");
            }
        } catch (TransportException | IllegalStateException e) {
            connection.reconnect();
            reconnected = true;
            result = connection.exec(script, CALL_TIMEOUT);
        }
        return new LinkScenario(window, down, DiagnosticRun.parse(Sections.parse(result.stdout()), window), reconnected);
    }
}
