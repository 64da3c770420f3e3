package io.sigkit.check;

import static io.sigkit.check.CheckDefinition.check;

import io.sigkit.bus.SignalResult;
import io.sigkit.timing.Stats;
import io.sigkit.transport.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** SIG-END: the bus's shutdown at the end of a window. Runs last, after the cleanup. */
final class EndChecks {
    private EndChecks() {
    }

    static List<CheckDefinition> all() {
        return List.of(check("SIG-END-001", EndChecks::shutdown, "SIG-PRIV-002"));
    }

    static RequirementResult shutdown(CheckContext ctx) throws InterruptedException {
        RequirementResult.Builder r = ctx.result("SIG-END-001");
        if (!ctx.options().allowDestructive()) {
            return r.notVerified("--allow-destructive", "the shutdown is in the destructive tier, which was not enabled");
        }
        String command = ctx.options().shutdownCommand() != null ? ctx.options().shutdownCommand()
                : ctx.facts().isRoot() ? "shutdown -h now" : "sudo -n shutdown -h now";
        Instant issued = Instant.now();
        SignalResult s = null;
        try {
            s = ctx.observations().shutdown(command, Duration.ofSeconds(10));
            r.evidence("exitStatus", s.exec().exitStatus()).evidence("stderr", s.stderrTail(500));
        } catch (TransportException e) {
            r.evidence("connection", "dropped while the command ran: " + e.getMessage());
        }
        r.evidence("command", command);
        Duration bound = ctx.options().shutdownBound();
        while (Duration.between(issued, Instant.now()).compareTo(bound) < 0) {
            try {
                ctx.observations().answer();
            } catch (TransportException e) {
                Duration gone = Duration.between(issued, Instant.now());
                r.timing(Measurement.atKit("shutdown to unreachable", gone));
                return r.evidence("unreachableAfterMillis", gone.toMillis()).evidence("lastError", e.getMessage())
                        .pass("'" + command + "' was issued and the payload stopped answering SSH after " + Stats.s(gone));
            }
            Thread.sleep(Math.min(1000, Math.max(1, bound.toMillis() / 4)));
        }
        String outcome = s == null || s.exec().timedOut() ? "" : "; the command " + ConfigureChecks.describe(s);
        return r.fail("after '" + command + "' the payload at " + ctx.targetText() + " still answered SSH " + Stats.s(bound)
                + " later" + outcome, "unreachable within " + Stats.s(bound), "still answering");
    }
}
