package io.sigkit.check;

import static io.sigkit.check.CheckDefinition.check;

import io.sigkit.bus.SignalResult;
import io.sigkit.bus.Window;
import io.sigkit.check.CheckContext.PlacedOrError;
import io.sigkit.timing.Stats;
import io.sigkit.transport.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** SIG-CONF: the configure signal. */
final class ConfigureChecks {
    private ConfigureChecks() {
    }

    /**
     * SIG-CONF-001 runs first, on the main window's configure alone: the start signal may go out as soon as it passed
     * (the bus starts a window once its configure succeeded). SIG-CONF-002's series counts that configure as its run #1,
     * so a hung configure is waited for once.
     */
    static List<CheckDefinition> all() {
        return List.of(
                check("SIG-CONF-001", ConfigureChecks::exitsZero, "SIG-FS-002", "SIG-CFG-002"),
                check("SIG-CONF-002", ConfigureChecks::timing, "SIG-FS-002", "SIG-CFG-002"),
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
        return timing(ctx.result("SIG-CONF-002"), ctx.configureSeries(), ctx.options().configureBudget(),
                " on " + ctx.targetText() + " as '" + ctx.options().connection().target().user() + "'",
                "/signaling/inbox/" + ctx.options().taskingUser() + "/");
    }

    /** "#2 window 2100000101 exited 0 after 42.0 ms" (with the channel close when it came much later). */
    private static String runLine(String label, SignalResult s) {
        ExecResult e = s.exec();
        return label + " window " + s.windowId() + " " + describe(s) + (e.toClose() != null && e.toExit() != null
                && e.toClose().minus(e.toExit()).compareTo(Duration.ofMillis(500)) > 0
                ? ", channel closed after " + Stats.s(e.toClose()) : "");
    }

    private static RequirementResult budgetBroken(RequirementResult.Builder r, SignalResult s, Duration budget, String where,
                                                  String inboxState) {
        ExecResult e = s.exec();
        if (e.timedOut() && e.toExit() != null) {
            boolean held = e.toExit().compareTo(budget) <= 0;
            return r.fail("configure for window " + s.windowId() + " " + inboxState + " sent its exit status after "
                            + Stats.s(e.toExit()) + (held ? ", but the SSH channel was still open when the kit stopped"
                            + " waiting (budget " + Stats.s(budget) + ")" + where + " because a process it started kept"
                            + " its stdout/stderr open" : " (budget " + Stats.s(budget) + ")" + where + ", and its SSH"
                            + " channel was still open when the kit stopped waiting") + "; the kit ended it",
                    "completes within " + Stats.s(budget), "exit status after " + Stats.s(e.toExit())
                            + ", channel still open");
        }
        if (e.timedOut()) {
            return r.fail("configure for window " + s.windowId() + " " + inboxState + " was still running when the kit"
                            + " stopped waiting (budget " + Stats.s(budget) + ")" + where + "; the kit ended it",
                    "completes within " + Stats.s(budget), "still running, no exit status");
        }
        boolean held = e.toExit() != null && e.toExit().compareTo(budget) <= 0;
        return r.fail("configure for window " + s.windowId() + " " + inboxState + " ran " + Stats.s(e.toClose()) + " (budget "
                        + Stats.s(budget) + ")" + where
                        + (held ? ": its exit status came after " + Stats.s(e.toExit())
                        + ", but the SSH channel stayed open until " + Stats.s(e.toClose())
                        + " because a process it started kept its stdout/stderr open" : ""),
                "completes within " + Stats.s(budget), Stats.s(e.toClose()) + " " + inboxState);
    }

    /**
     * SIG-CONF-002 from a series: every run within the budget, with an empty inbox and with uplinked files, and every
     * run exited 0 — times of a configure that failed are no evidence of how long a working one takes.
     */
    static RequirementResult timing(RequirementResult.Builder r, ConfigureSeries series, Duration budget, String where,
                                    String inbox) {
        List<Duration> toClose = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        int i = 1;
        for (SignalResult s : series.runs()) {
            ExecResult e = s.exec();
            if (e.toExit() != null) {
                r.timing(Measurement.atKit("configure #" + i + " to exit status", e.toExit()).inRun(i).within(budget));
            }
            if (e.toClose() != null) {
                r.timing(Measurement.atKit("configure #" + i + " to channel close", e.toClose()).inRun(i).within(budget));
                toClose.add(e.toClose());
            }
            runs.add(runLine("#" + i, s));
            i++;
        }
        List<String> payloadRuns = new ArrayList<>();
        for (int j = 0; j < series.payloadSamples().size(); j++) {
            Duration d = series.payloadSamples().get(j);
            r.timing(Measurement.onPayload("configure #" + (j + 1) + " on the payload clock", d).inRun(j + 1).within(budget));
            Integer rc = j < series.payloadExitStatuses().size() ? series.payloadExitStatuses().get(j) : null;
            payloadRuns.add("#" + (j + 1) + (j < series.payloadWindows().size() ? " window " + series.payloadWindows().get(j).id() : "")
                    + " exited " + rc + " after " + Stats.ms(d));
        }
        List<Duration> uplinkClose = new ArrayList<>();
        List<String> uplinkLines = new ArrayList<>();
        int k = 1;
        for (ConfigureSeries.UplinkRun u : series.uplinkRuns()) {
            ExecResult e = u.result().exec();
            if (e.toClose() != null) {
                r.timing(Measurement.atKit("configure with uplinks #" + k + " to channel close", e.toClose()).inRun(k)
                        .within(budget));
                uplinkClose.add(e.toClose());
            }
            uplinkLines.add(runLine("#" + k, u.result()) + " (" + u.files().size() + " uplinked file(s))");
            k++;
        }
        SignalResult first = series.first();
        r.evidence("command", first.command()).evidence("runs", runs).evidence("budgetMillis", budget.toMillis())
                .evidence("payloadRuns", payloadRuns).evidence("runsWithUplinks", uplinkLines);
        if (!series.payloadTimingNote().isEmpty()) {
            r.evidence("payloadTiming", series.payloadTimingNote());
        }
        if (!series.uplinkNote().isEmpty()) {
            r.evidence("uplinkTiming", series.uplinkNote());
        }
        String withUplinks = series.uplinkRuns().isEmpty() ? "" : "with " + series.uplinkRuns().get(0).files().size()
                + " uplinked file(s) in " + inbox;
        for (SignalResult s : series.runs()) {
            if (ConfigureSeries.brokeBudget(s, budget)) {
                return budgetBroken(r, s, budget, where, "with an empty inbox");
            }
        }
        for (ConfigureSeries.UplinkRun u : series.uplinkRuns()) {
            if (ConfigureSeries.brokeBudget(u.result(), budget)) {
                return budgetBroken(r, u.result(), budget, where, withUplinks
                        + " (with an empty inbox: max " + Stats.ms(Stats.max(toClose)) + ")");
            }
        }
        for (int j = 0; j < series.payloadSamples().size(); j++) {
            if (series.payloadSamples().get(j).compareTo(budget) > 0) {
                return r.fail("configure run #" + (j + 1) + " timed on the payload took " + Stats.s(series.payloadSamples().get(j))
                                + " (budget " + Stats.s(budget) + ")" + where + ", with an empty inbox",
                        "completes within " + Stats.s(budget), Stats.s(series.payloadSamples().get(j)));
            }
        }
        if (!first.exitedZero()) {
            return r.skipped("SIG-CONF-001", "configure for window " + first.windowId() + " " + describe(first)
                    + ": the time of a configure that fails is no evidence of how long a working one takes");
        }
        List<String> failed = new ArrayList<>();
        for (int j = 1; j < series.runs().size(); j++) {
            if (!series.runs().get(j).exitedZero()) {
                failed.add("kit-side run " + runs.get(j));
            }
        }
        for (int j = 0; j < series.payloadExitStatuses().size(); j++) {
            if (series.payloadExitStatuses().get(j) != 0) {
                failed.add("run on the payload " + payloadRuns.get(j));
            }
        }
        if (!failed.isEmpty()) {
            return r.error("configure exited 0 for window " + first.windowId() + " but not in every timed run, each on a"
                    + " window configured for the first time: " + String.join("; ", failed)
                    + "; the times of failed runs are no evidence of how long a working configure takes");
        }
        for (ConfigureSeries.UplinkRun u : series.uplinkRuns()) {
            if (!u.result().exitedZero()) {
                return r.skipped("SIG-CONF-003", "configure " + withUplinks + " for window " + u.result().windowId() + " "
                        + describe(u.result()) + ", so its time is no evidence (with an empty inbox: "
                        + series.runs().size() + " runs exited 0 within " + Stats.s(budget) + ", max "
                        + Stats.ms(Stats.max(toClose)) + ")");
            }
        }
        Duration p50 = Stats.median(toClose);
        Duration max = Stats.max(toClose);
        Duration overallMax = uplinkClose.isEmpty() ? max : Stats.max(List.of(max, Stats.max(uplinkClose)));
        r.evidence("p50Millis", p50.toMillis()).evidence("maxMillis", max.toMillis())
                .evidence("marginMillis", budget.minus(overallMax).toMillis());
        String payloadSide = series.payloadSamples().isEmpty() ? ""
                : "; on the payload p50 " + Stats.ms(Stats.median(series.payloadSamples())) + ", max "
                + Stats.ms(Stats.max(series.payloadSamples()));
        if (!series.payloadSamples().isEmpty()) {
            r.evidence("payloadP50Millis", Stats.median(series.payloadSamples()).toMillis())
                    .evidence("payloadMaxMillis", Stats.max(series.payloadSamples()).toMillis());
        }
        String uplinkSide;
        if (uplinkClose.isEmpty()) {
            uplinkSide = "; not timed with uplinked files (" + series.uplinkNote() + ")";
            r.warning("configure was timed with an empty inbox only: " + series.uplinkNote());
        } else {
            r.evidence("withUplinksP50Millis", Stats.median(uplinkClose).toMillis())
                    .evidence("withUplinksMaxMillis", Stats.max(uplinkClose).toMillis());
            uplinkSide = "; " + uplinkClose.size() + " run(s) " + withUplinks + ": p50 " + Stats.ms(Stats.median(uplinkClose))
                    + ", max " + Stats.ms(Stats.max(uplinkClose));
        }
        if (overallMax.compareTo(budget.multipliedBy(8).dividedBy(10)) > 0) {
            r.warning("configure took up to " + Stats.s(overallMax) + ", above 80 % of the " + Stats.s(budget) + " budget");
        }
        return r.pass(series.runs().size() + " configure runs with an empty inbox, each on a window configured for the"
                + " first time, exited 0 within " + Stats.s(budget) + ": p50 " + Stats.ms(p50) + ", max " + Stats.ms(max)
                + " at the kit (to channel close)" + payloadSide + uplinkSide + "; margin " + Stats.s(budget.minus(overallMax)));
    }

    static RequirementResult exitsZero(CheckContext ctx) {
        return exitsZero(ctx.result("SIG-CONF-001"), ctx.firstConfigure(), ctx.targetText(), ctx.configureTimeout(),
                ctx.plan().main(java.time.Instant.EPOCH).configPath());
    }

    /** SIG-CONF-001 from the series' first run; a failed repeat of the same window is only a warning. */
    static RequirementResult exitsZero(RequirementResult.Builder r, ConfigureSeries series, String target, Duration waited,
                                       String configPath) {
        SignalResult s = series.first();
        evidence(r, s);
        long id = s.windowId();
        if (s.exec().exitStatus() == null) {
            // SIG-CONF-002 (the 15 s) is the spec's recommendation; an exit status that never comes is this one's failure
            return r.fail("'" + s.command() + "' on " + target + " " + describe(s) + " for window " + id
                            + ": no exit status within " + Stats.s(waited)
                            + ", so the bus never learns that the window was configured",
                    "exit status 0", "no exit status within " + Stats.s(waited));
        }
        if (!s.exitedZero()) {
            return r.fail("'" + s.command() + "' on " + target + " " + describe(s) + " for window " + id
                    + ", configured for the first time, whose config " + configPath + " is valid: the bus would abort this"
                    + " window", "exit status 0", describe(s));
        }
        String again = "";
        if (series.repeat().isPresent()) {
            SignalResult rep = series.repeat().get();
            r.evidence("repeat", runLine("second configure of", rep));
            if (!rep.exitedZero()) {
                r.warning("configure for window " + id + " a second time " + describe(rep) + ": the spec does not require"
                        + " configure to be repeatable and the bus configures a window once, so this is not judged"
                        + " (every configure check of the kit uses a window configured for the first time)");
                again = "; configuring it a second time " + describe(rep) + " (not required)";
            } else {
                again = "; a second configure of it exited 0 too";
            }
        }
        return r.pass("'" + s.command() + "' exited 0 for window " + id + ", configured for the first time, with a valid"
                + " config at " + configPath + " and an empty inbox" + again);
    }

    static RequirementResult withUplinks(CheckContext ctx) {
        return withUplinks(ctx.result("SIG-CONF-003"), ctx.configureSeries(), ctx.targetText(),
                "/signaling/inbox/" + ctx.options().taskingUser() + "/");
    }

    /** SIG-CONF-003 from the series' first run with uplinked files (a window configured for the first time). */
    static RequirementResult withUplinks(RequirementResult.Builder r, ConfigureSeries series, String target, String inbox) {
        if (series.uplinkRuns().isEmpty()) {
            return r.error("configure was not run with uplinked files: " + (series.uplinkNote().isEmpty()
                    ? "no run was made" : series.uplinkNote()));
        }
        ConfigureSeries.UplinkRun u = series.uplinkRuns().get(0);
        SignalResult s = u.result();
        evidence(r, s).evidence("uplinked", u.files());
        if (!s.exitedZero()) {
            SignalResult empty = series.first();
            return r.fail("configure for window " + s.windowId() + " (configured for the first time) on " + target + " "
                            + describe(s) + " with " + u.files().size() + " uplinked file(s) in " + inbox
                            + (empty.exitedZero() ? "; with an empty inbox, configure for window " + empty.windowId()
                            + " exited 0" : ""),
                    "exit status 0", describe(s));
        }
        return r.pass("configure exited 0 for window " + s.windowId() + " (configured for the first time) with "
                + u.files().size() + " uplinked file(s) in " + inbox + "; " + String.join("; ", u.files()));
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
        PlacedOrError placed = ctx.placement().get("argument-order");
        if (placed == null || !placed.ok()) {
            return r.error("the config of SIG-CONF-005's window could not be placed: "
                    + (placed == null ? "not planned" : placed.error()));
        }
        Window w = placed.window();
        SignalResult s = ctx.bus().configureReordered(w, ctx.configureOutcomeTimeout());
        evidence(r, s);
        SignalResult documented = ctx.firstConfigure().first();
        if (s.exitedZero()) {
            return r.pass("'" + s.command() + "' (options in another order) exited 0 for window " + w.id()
                    + ", configured for the first time");
        }
        return r.fail("'" + s.command() + "' on " + ctx.targetText() + " " + describe(s) + " for window " + w.id()
                        + " (configured for the first time), while the options in the documented order "
                        + (documented.exitedZero() ? "exited 0" : describe(documented)) + " for window " + documented.windowId(),
                "exit status 0", describe(s));
    }
}
