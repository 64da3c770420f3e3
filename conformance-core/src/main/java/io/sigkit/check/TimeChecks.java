package io.sigkit.check;

import static io.sigkit.check.CheckDefinition.check;

import io.sigkit.bus.SignalResult;
import io.sigkit.timing.ClockOffset;
import io.sigkit.timing.Stats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** SIG-TIME: the payload clock. */
final class TimeChecks {
    static final Duration OFFSET_LIMIT = Duration.ofSeconds(1);

    private TimeChecks() {
    }

    static List<CheckDefinition> offset() {
        return List.of(check("SIG-TIME-001", TimeChecks::clockOffset, "SIG-ENV-003"));
    }

    static List<CheckDefinition> setting() {
        return List.of(check("SIG-TIME-002", TimeChecks::clockSet, "SIG-PRIV-001"));
    }

    static RequirementResult clockOffset(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-TIME-001");
        ClockOffset c = ctx.clock();
        evidence(r, c, "");
        String text = "payload clock offset " + signedMs(c.offset()) + " ± " + Stats.ms(c.uncertainty())
                + " (best of " + c.samples().size() + " round trips)";
        if (c.offset().abs().minus(c.uncertainty()).compareTo(OFFSET_LIMIT) > 0) {
            return r.fail(text + " on " + ctx.targetText() + " is beyond " + Stats.s(OFFSET_LIMIT)
                    + ": windows are scheduled by absolute time", "|offset| ≤ " + Stats.s(OFFSET_LIMIT), signedMs(c.offset()));
        }
        return r.pass(text);
    }

    static RequirementResult clockSet(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-TIME-002");
        if (!ctx.options().allowClockSet()) {
            return r.notVerified("--allow-clock-set", "setting the clock is in the reversible tier, which was not enabled");
        }
        ClockOffset before = ctx.clock();
        boolean root = ctx.facts().isRoot();
        // the command SIG-PRIV-001 found allowed with the exact arguments the bus uses
        String tool = root || ctx.facts().sudoAllows("exact-date-set") ? "date"
                : ctx.facts().sudoAllows("exact-timedatectl-set") ? "timedatectl" : "date";
        SignalResult s = ctx.observations().setClock(tool, !root, Duration.ofSeconds(30));
        ClockOffset after = ctx.measureClock(2);
        evidence(r, before, "before");
        evidence(r, after, "after");
        r.evidence("command", s.command()).evidence("exitStatus", s.exec().exitStatus()).evidence("stderr", s.stderrTail(500));
        if (!s.succeeded()) {
            return r.fail("setting the clock with '" + s.command() + "' on " + ctx.targetText() + " "
                    + ConfigureChecks.describe(s), "exit status 0", ConfigureChecks.describe(s));
        }
        Duration jump = after.offset().minus(before.offset()).abs();
        if (jump.compareTo(OFFSET_LIMIT) > 0) {
            r.warning("the offset changed by " + Stats.ms(jump) + " when the clock was set to its own time");
        }
        return r.pass("'" + s.command() + "' exited 0; offset before " + signedMs(before.offset()) + ", after "
                + signedMs(after.offset()));
    }

    private static void evidence(RequirementResult.Builder r, ClockOffset c, String prefix) {
        String p = prefix.isEmpty() ? "" : prefix + ".";
        List<String> samples = new ArrayList<>();
        for (ClockOffset.Sample s : c.samples()) {
            samples.add("offset " + signedMs(s.offset()) + ", round trip " + Stats.ms(s.roundTrip()));
        }
        r.evidence(p + "offsetMillis", c.offset().toNanos() / 1e6).evidence(p + "uncertaintyMillis", c.uncertainty().toNanos() / 1e6)
                .evidence(p + "samples", samples).evidence(p + "resolution", c.resolution().toString());
        r.timing(Measurement.atKit(p + "clock offset", c.offset().abs()));
    }

    static String signedMs(Duration d) {
        return (d.isNegative() ? "-" : "+") + Stats.ms(d.abs());
    }
}
