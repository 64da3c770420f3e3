package io.sigkit.check;

import io.sigkit.bus.PlacedFile;
import io.sigkit.bus.SatelliteBus;
import io.sigkit.bus.SignalResult;
import io.sigkit.bus.Window;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.probe.RemoteScript;
import io.sigkit.timing.PayloadStamp;
import io.sigkit.transport.ExecResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Configure as the bus does it, timed: every run on a window never configured before ({@link WindowPlan#timed}).
 * N runs at the kit with an empty inbox (exec request to exit status, and to channel close), then N inside one timed
 * run on the payload, then N at the kit each with the run's uplinked files waiting in the inbox (the bus's normal
 * case; SIG-CONF-003's evidence too). Each part stops as soon as a run breaks the budget: a hung configure is waited
 * for once, not N times. Finally the first window is configured once more: whether configure can be repeated is a
 * separate observation (the spec does not require it; the bus configures a window once).
 */
public final class ConfigureSeries {
    private final List<SignalResult> runs;
    private final List<Window> payloadWindows;
    private final List<Duration> payloadSamples;
    private final List<Integer> payloadExitStatuses;
    private final String payloadTimingNote;
    private final List<UplinkRun> uplinkRuns;
    private final String uplinkNote;
    private final SignalResult repeat;

    /**
     * One configure with uplinked files in the inbox.
     *
     * @param result the configure
     * @param files what became of each uplinked file ("path: left in the inbox" or "...: no longer in the inbox")
     */
    public record UplinkRun(SignalResult result, List<String> files) {
        public UplinkRun {
            files = List.copyOf(files);
        }
    }

    private ConfigureSeries(List<SignalResult> runs, List<Window> payloadWindows, List<Duration> payloadSamples,
                            List<Integer> payloadExitStatuses, String payloadTimingNote, List<UplinkRun> uplinkRuns,
                            String uplinkNote, SignalResult repeat) {
        this.runs = List.copyOf(runs);
        this.payloadWindows = List.copyOf(payloadWindows);
        this.payloadSamples = List.copyOf(payloadSamples);
        this.payloadExitStatuses = List.copyOf(payloadExitStatuses);
        this.payloadTimingNote = payloadTimingNote;
        this.uplinkRuns = List.copyOf(uplinkRuns);
        this.uplinkNote = uplinkNote;
        this.repeat = repeat;
    }

    /** A series assembled from its parts (unit tests). */
    static ConfigureSeries of(List<SignalResult> runs, List<Duration> payloadSamples, List<Integer> payloadExitStatuses,
                              String payloadTimingNote, List<UplinkRun> uplinkRuns, String uplinkNote, SignalResult repeat) {
        return new ConfigureSeries(runs, List.of(), payloadSamples, payloadExitStatuses, payloadTimingNote, uplinkRuns,
                uplinkNote, repeat);
    }

    static boolean brokeBudget(SignalResult r, Duration budget) {
        ExecResult e = r.exec();
        return e.timedOut() || e.toClose() == null || e.toClose().compareTo(budget) > 0;
    }

    /**
     * The main window's configure, run #1 (SIG-CONF-001's evidence), and, when it exited 0 within the budget, the same
     * window configured once more (an observation: the bus configures a window once). The start signal may follow as
     * soon as this is judged, as the bus would send it; the rest of the series runs while the window runs.
     */
    static ConfigureSeries first(CheckContext ctx) {
        Window first = ctx.plan().timed(0, Instant.now().plus(ctx.options().windowLength()));
        // the main window is configured as in the bus's normal case: its user's inbox exists, with nothing in it (SIG-FS-005
        // removed the directory it made; a window whose user has no inbox at all is SIG-START-005's diagnostic window)
        RequirementResult fs005 = ctx.resultOf("SIG-FS-005").orElse(null);
        if (fs005 == null || fs005.outcome() == Outcome.PASS) {
            try {
                ctx.bus().ensureInbox(first.taskingUser());
            } catch (RuntimeException e) {
                ctx.step("the inbox of '" + first.taskingUser() + "' could not be made: " + e.getMessage());
            }
        }
        SignalResult r = ctx.configure(first);
        SignalResult repeat = null;
        if (!brokeBudget(r, ctx.options().configureBudget()) && r.exitedZero()) {
            ctx.step("configure window " + first.id() + " a second time (an observation: the bus configures a window once)");
            repeat = ctx.configure(first);
        }
        return new ConfigureSeries(List.of(r), List.of(), List.of(), List.of(), "", List.of(), "", repeat);
    }

    /**
     * The whole series, from its first part ({@link #first}): its timed runs each alone on the session, so that the
     * windows started meanwhile and their listings do not share the session with them.
     */
    static ConfigureSeries run(CheckContext ctx, ConfigureSeries firstPart) {
        Instant end = Instant.now().plus(ctx.options().windowLength());
        WindowPlan plan = ctx.plan();
        Duration budget = ctx.options().configureBudget();
        int n = plan.configureRuns();
        List<SignalResult> runs = new ArrayList<>(firstPart.runs());
        boolean withinBudget = !brokeBudget(firstPart.first(), budget);
        for (int i = 1; i < n && withinBudget; i++) {
            Window w = plan.timed(i, end);
            SignalResult r = ctx.configure(w);
            runs.add(r);
            if (brokeBudget(r, budget)) {
                withinBudget = false;
            }
        }
        List<Window> payloadWindows = new ArrayList<>();
        List<Duration> payloadSamples = new ArrayList<>();
        List<Integer> payloadExits = new ArrayList<>();
        String note;
        if (withinBudget) {
            ctx.step("timing configure on the payload (" + n + " runs, each on a fresh window, in one exec)");
            RemoteScript.Builder script = RemoteScript.builder().code(PayloadStamp.SHELL_FUNCTION);
            StringBuilder loop = new StringBuilder();
            for (int i = 0; i < n; i++) {
                Window w = plan.timedOnPayload(i, end);
                payloadWindows.add(w);
                // each line carries the nonce: configure runs inside this section, and whatever it writes to its
                // parent's output must not pass for a sample; the command is kit-written (IDs and user validated)
                loop.append("a=$(sigkit_t); ").append(SatelliteBus.configureCommand(w)).append("; rc=$?; b=$(sigkit_t); ")
                        .append("printf '%s %s %s %s %s\\n' \"$N\" ").append(i).append(" \"$rc\" \"$a\" \"$b\"\n");
            }
            script.section("timing", loop.toString(), 64 * 1024);
            // alone on the session, as every configure is (SatelliteBus.configure)
            RemoteScript.Output out = ctx.bus().connection().exclusively(() -> script.build().run(ctx.bus().connection(),
                    ctx.configureTimeout().multipliedBy(n), "configure timed on the payload"));
            ExecResult timed = out.exec();
            String problem = out.problem();
            for (String line : problem != null ? List.<String>of() : out.sections().lines("timing")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 7 && f[0].equals(out.nonce())) {
                    f = java.util.Arrays.copyOfRange(f, 1, 7);
                    PayloadStamp a = PayloadStamp.parse(f[2], f[3]);
                    PayloadStamp b = PayloadStamp.parse(f[4], f[5]);
                    a.until(b).ifPresent(payloadSamples::add);
                    try {
                        payloadExits.add(Integer.parseInt(f[1]));
                    } catch (NumberFormatException e) {
                        payloadExits.add(-1);
                    }
                }
            }
            note = timed.timedOut() ? "the timed run on the payload did not finish in time"
                    : problem != null ? "the payload's timed run cannot be relied on: " + problem
                    : payloadSamples.size() < n ? "the payload's timed run gave " + payloadSamples.size() + " of " + n + " samples"
                    : "";
        } else {
            note = "not timed on the payload: the kit-side run already broke the budget";
        }

        List<UplinkRun> uplinkRuns = new ArrayList<>();
        String uplinkNote = "";
        RequirementResult fs005 = ctx.resultOf("SIG-FS-005").orElse(null);
        if (fs005 != null && fs005.outcome() != Outcome.PASS) {
            uplinkNote = "not timed with uplinked files: SIG-FS-005 is " + fs005.outcome()
                    + " (the kit cannot place files in the inbox)";
        } else if (runs.get(0).exec().exitStatus() == null) {
            uplinkNote = "not timed with uplinked files: configure with an empty inbox gave no exit status";
        } else {
            // after a run that broke the budget, one run with uplinks still tells SIG-CONF-003 its exit status
            int planned = withinBudget ? n : 1;
            for (int i = 0; i < planned; i++) {
                Window w = plan.timedWithUplink(i, end);
                // placed, configured and what is left removed alone on the session: a configure of another window
                // meanwhile would take the files (every configure may take all of its user's inbox)
                String[] failure = new String[1];
                UplinkRun run = ctx.bus().connection().exclusively(() -> {
                    List<PlacedFile> placed = new ArrayList<>();
                    try {
                        for (Map.Entry<String, byte[]> f : ctx.uplinkFiles()) {
                            placed.add(ctx.bus().uplink(w.taskingUser(), f.getKey(), f.getValue()));
                        }
                    } catch (RuntimeException e) {
                        failure[0] = "not timed with uplinked files: placing them failed: " + e.getMessage();
                        removeLeft(ctx, placed);
                        return null;
                    }
                    // waited for as long as the checks of an exit status wait: SIG-CONF-003 judges this run's exit status
                    SignalResult r = ctx.configureForOutcome(w);
                    return new UplinkRun(r, removeLeft(ctx, placed));
                });
                if (run == null) {
                    uplinkNote = failure[0];
                    break;
                }
                uplinkRuns.add(run);
                if (brokeBudget(run.result(), budget)) {
                    break;
                }
            }
        }

        return new ConfigureSeries(runs, payloadWindows, payloadSamples, payloadExits, note, uplinkRuns, uplinkNote,
                firstPart.repeat().orElse(null));
    }

    /** Says what became of each uplinked file and removes those left in the inbox (the next run must not see them). */
    private static List<String> removeLeft(CheckContext ctx, List<PlacedFile> placed) {
        List<String> fate = new ArrayList<>();
        for (PlacedFile p : placed) {
            boolean left = ctx.bus().connection().files().exists(p.path());
            fate.add(p.path() + ": " + (left ? "left in the inbox" : "no longer in the inbox (moved or deleted by payload_exec)"));
            if (left) {
                ctx.bus().connection().files().delete(p.path());
                ctx.bus().manifest().resolved(CleanupItem.Kind.FILE, p.path(), true,
                        "left in the inbox by configure; removed after the timed run");
            }
        }
        return fate;
    }

    /** The kit-side runs with an empty inbox, each on its own window (run #1 is the main window). */
    public List<SignalResult> runs() {
        return runs;
    }

    public SignalResult first() {
        return runs.get(0);
    }

    /** The windows of the runs timed on the payload, in order. */
    public List<Window> payloadWindows() {
        return payloadWindows;
    }

    public List<Duration> payloadSamples() {
        return payloadSamples;
    }

    public List<Integer> payloadExitStatuses() {
        return payloadExitStatuses;
    }

    public String payloadTimingNote() {
        return payloadTimingNote;
    }

    /** The kit-side runs with uplinked files in the inbox, each on its own window. */
    public List<UplinkRun> uplinkRuns() {
        return uplinkRuns;
    }

    /** Why there are fewer uplink runs than planned (empty when none is missing or a run broke the budget). */
    public String uplinkNote() {
        return uplinkNote;
    }

    /** The second configure of run #1's window, when run #1 exited 0 within the budget. */
    public java.util.Optional<SignalResult> repeat() {
        return java.util.Optional.ofNullable(repeat);
    }
}
