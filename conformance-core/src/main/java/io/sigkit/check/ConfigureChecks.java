package io.sigkit.check;

import static io.sigkit.check.CheckDefinition.check;

import io.sigkit.bus.PlacedFile;
import io.sigkit.bus.SignalResult;
import io.sigkit.bus.Window;
import io.sigkit.check.CheckContext.PlacedOrError;
import io.sigkit.timing.Stats;
import io.sigkit.transport.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SIG-CONF: the configure signal. */
final class ConfigureChecks {
    private ConfigureChecks() {
    }

    /** SIG-CONF-002 runs first: its first run is SIG-CONF-001's evidence, and a hung configure is waited for once. */
    static List<CheckDefinition> all() {
        return List.of(
                check("SIG-CONF-002", ConfigureChecks::timing, "SIG-FS-002", "SIG-CFG-002"),
                check("SIG-CONF-001", ConfigureChecks::exitsZero, "SIG-FS-002", "SIG-CFG-002"),
                check("SIG-CONF-003", ConfigureChecks::withUplinks, "SIG-CONF-001", "SIG-FS-005"),
                check("SIG-CONF-004", ConfigureChecks::wideWindowId, "SIG-CONF-001"),
                check("SIG-CONF-005", ConfigureChecks::argumentOrder, "SIG-CONF-001"));
    }

    /** "exited 0 after 42.0 ms", "exited 1 after 0.2 s: config missing", "did not finish within 20.00 s". */
    static String describe(SignalResult s) {
        ExecResult e = s.exec();
        if (e.timedOut() && e.exitStatus() == null) {
            return "did not finish: still running when the kit stopped waiting, and the kit ended it";
        }
        String status = e.exitStatus() != null ? "exited " + e.exitStatus()
                : e.exitSignal() != null ? "was killed by signal " + e.exitSignal() : "ended without an exit status";
        String took = e.toExit() == null ? "" : " after " + Stats.s(e.toExit());
        String err = s.stderrTail(300);
        return status + took + (err.isEmpty() ? "" : " (stderr: " + err.replace('\n', ' ') + ")");
    }

    static RequirementResult.Builder evidence(RequirementResult.Builder r, SignalResult s) {
        ExecResult e = s.exec();
        r.evidence("command", s.command()).evidence("exitStatus", e.exitStatus()).evidence("exitSignal", e.exitSignal())
                .evidence("stderr", s.stderrTail(2000)).evidence("timedOut", e.timedOut());
        if (e.toExit() != null) {
            r.timing(io.sigkit.check.Measurement.atKit("to exit status", e.toExit()));
        }
        if (e.toClose() != null) {
            r.timing(io.sigkit.check.Measurement.atKit("to channel close", e.toClose()));
        }
        return r;
    }

    static RequirementResult timing(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-CONF-002");
        ConfigureSeries series = ctx.configureSeries();
        Duration budget = ctx.options().configureBudget();
        List<Duration> toClose = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        int i = 1;
        for (SignalResult s : series.runs()) {
            ExecResult e = s.exec();
            if (e.toExit() != null) {
                r.timing(Measurement.atKit("configure #" + i + " to exit status", e.toExit()));
            }
            if (e.toClose() != null) {
                r.timing(Measurement.atKit("configure #" + i + " to channel close", e.toClose()));
                toClose.add(e.toClose());
            }
            runs.add("#" + i + " " + describe(s) + (e.toClose() != null && e.toExit() != null
                    && e.toClose().minus(e.toExit()).compareTo(Duration.ofMillis(500)) > 0
                    ? ", channel closed after " + Stats.s(e.toClose()) : ""));
            i++;
        }
        int j = 1;
        for (Duration d : series.payloadSamples()) {
            r.timing(Measurement.onPayload("configure #" + j++ + " on the payload clock", d));
        }
        r.evidence("command", series.first().command()).evidence("runs", runs).evidence("budgetMillis", budget.toMillis());
        if (!series.payloadTimingNote().isEmpty()) {
            r.evidence("payloadTiming", series.payloadTimingNote());
        }
        SignalResult last = series.runs().get(series.runs().size() - 1);
        Window w = series.window();
        String where = " on " + ctx.targetText() + " as '" + ctx.options().connection().target().user() + "'";
        if (last.exec().timedOut()) {
            Duration waited = ctx.configureTimeout();
            return r.fail("configure for window " + w.id() + " was still running after " + Stats.s(waited) + " (budget "
                            + Stats.s(budget) + ")" + where + "; the kit stopped waiting and ended it",
                    "completes within " + Stats.s(budget), "still running after " + Stats.s(waited));
        }
        ExecResult e = last.exec();
        if (e.toClose().compareTo(budget) > 0) {
            boolean held = e.toExit() != null && e.toExit().compareTo(budget) <= 0;
            return r.fail("configure for window " + w.id() + " ran " + Stats.s(e.toClose()) + " (budget " + Stats.s(budget) + ")" + where
                            + (held ? ": its exit status came after " + Stats.s(e.toExit())
                            + ", but the SSH channel stayed open until " + Stats.s(e.toClose())
                            + " because a process it started kept its stdout/stderr open" : ""),
                    "completes within " + Stats.s(budget), Stats.s(e.toClose()));
        }
        Duration p50 = Stats.median(toClose);
        Duration max = Stats.max(toClose);
        r.evidence("p50Millis", p50.toMillis()).evidence("maxMillis", max.toMillis())
                .evidence("marginMillis", budget.minus(max).toMillis());
        String payloadSide = series.payloadSamples().isEmpty() ? ""
                : "; on the payload p50 " + Stats.ms(Stats.median(series.payloadSamples())) + ", max "
                + Stats.ms(Stats.max(series.payloadSamples()));
        if (!series.payloadSamples().isEmpty()) {
            r.evidence("payloadP50Millis", Stats.median(series.payloadSamples()).toMillis())
                    .evidence("payloadMaxMillis", Stats.max(series.payloadSamples()).toMillis());
        }
        if (max.compareTo(budget.multipliedBy(8).dividedBy(10)) > 0) {
            r.warning("configure took up to " + Stats.s(max) + ", above 80 % of the " + Stats.s(budget) + " budget");
        }
        return r.pass(series.runs().size() + " configure runs completed within " + Stats.s(budget) + ": p50 " + Stats.ms(p50)
                + ", max " + Stats.ms(max) + " at the kit (to channel close), margin " + Stats.s(budget.minus(max)) + payloadSide);
    }

    static RequirementResult exitsZero(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-CONF-001");
        SignalResult s = ctx.configureSeries().first();
        evidence(r, s);
        Window w = ctx.configureSeries().window();
        if (s.exec().exitStatus() == null) {
            // SIG-CONF-002 (the 15 s) is the spec's recommendation; an exit status that never comes is this one's failure
            return r.fail("'" + s.command() + "' on " + ctx.targetText() + " " + describe(s) + " for window " + w.id()
                            + ": no exit status within " + Stats.s(ctx.configureTimeout())
                            + ", so the bus never learns that the window was configured",
                    "exit status 0", "no exit status within " + Stats.s(ctx.configureTimeout()));
        }
        if (s.succeeded() || s.exec().exitStatus() == 0) {
            return r.pass("'" + s.command() + "' exited 0 for window " + w.id() + " with a valid config");
        }
        return r.fail("'" + s.command() + "' on " + ctx.targetText() + " " + describe(s) + " for window " + w.id()
                + " whose config " + w.configPath() + " is valid: the bus would abort this window", "exit status 0", describe(s));
    }

    static RequirementResult withUplinks(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-CONF-003");
        Window w = ctx.configureSeries().window();
        List<PlacedFile> uplinked = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : ctx.uplinkFiles()) {
            uplinked.add(ctx.bus().uplink(w.taskingUser(), f.getKey(), f.getValue()));
        }
        SignalResult s = ctx.configureForOutcome(w);
        evidence(r, s);
        List<String> fate = new ArrayList<>();
        for (PlacedFile p : uplinked) {
            boolean left = ctx.bus().connection().files().exists(p.path());
            fate.add(p.path() + ": " + (left ? "left in the inbox" : "no longer in the inbox (moved or deleted by payload_exec)"));
            if (left) {
                // the next checks must not see this check's uplinks
                ctx.bus().connection().files().delete(p.path());
                ctx.bus().manifest().resolved(io.sigkit.cleanup.CleanupItem.Kind.FILE, p.path(), true,
                        "left in the inbox by payload_exec; removed by SIG-CONF-003");
            }
        }
        r.evidence("uplinked", fate);
        if (!s.exitedZero()) {
            return r.fail("configure for window " + w.id() + " on " + ctx.targetText() + " " + describe(s) + " with "
                    + uplinked.size() + " uplinked file(s) in /signaling/inbox/" + w.taskingUser() + "/",
                    "exit status 0", describe(s));
        }
        return r.pass("configure exited 0 with uplinked files present; " + String.join("; ", fate));
    }

    static RequirementResult wideWindowId(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-CONF-004");
        PlacedOrError placed = ctx.placement().get("wide");
        if (!placed.ok()) {
            return r.error("the config of the wide-ID window could not be placed: " + placed.error());
        }
        Window w = placed.window();
        SignalResult s = ctx.configureForOutcome(w);
        evidence(r, s).evidence("windowId", Long.toString(w.id()));
        if (s.exitedZero()) {
            return r.pass("configure exited 0 for window " + w.id() + " (above 2^32 and 2^53)");
        }
        return r.fail("configure on " + ctx.targetText() + " " + describe(s) + " for window " + w.id()
                + ", an ID beyond 32 bits (a valid config is at " + w.configPath() + ")", "exit status 0", describe(s));
    }

    static RequirementResult argumentOrder(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-CONF-005");
        Window w = ctx.configureSeries().window();
        SignalResult s = ctx.bus().configureReordered(w, ctx.configureOutcomeTimeout());
        evidence(r, s);
        if (s.exitedZero()) {
            return r.pass("'" + s.command() + "' (options in another order) exited 0");
        }
        return r.fail("'" + s.command() + "' on " + ctx.targetText() + " " + describe(s)
                + ", while the same options in the documented order exit 0", "exit status 0", describe(s));
    }
}
