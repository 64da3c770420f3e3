package io.sigkit.check;

import io.sigkit.bus.SatelliteBus;
import io.sigkit.bus.SignalResult;
import io.sigkit.bus.Window;
import io.sigkit.probe.RemoteScript;
import io.sigkit.timing.PayloadStamp;
import io.sigkit.transport.ExecResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Configure timed N times at the kit (exec request to exit status, and to channel close), then once more N times
 * inside one timed run on the payload. Stops repeating as soon as a run breaks the budget: a hung configure is
 * waited for once, not N times.
 */
public final class ConfigureSeries {
    private final Window window;
    private final List<SignalResult> runs;
    private final List<Duration> payloadSamples;
    private final List<Integer> payloadExitStatuses;
    private final String payloadTimingNote;

    private ConfigureSeries(Window window, List<SignalResult> runs, List<Duration> payloadSamples,
                            List<Integer> payloadExitStatuses, String payloadTimingNote) {
        this.window = window;
        this.runs = List.copyOf(runs);
        this.payloadSamples = List.copyOf(payloadSamples);
        this.payloadExitStatuses = List.copyOf(payloadExitStatuses);
        this.payloadTimingNote = payloadTimingNote;
    }

    static ConfigureSeries run(CheckContext ctx) {
        Window window = ctx.plan().main(Instant.now().plus(ctx.options().windowLength()));
        Duration budget = ctx.options().configureBudget();
        List<SignalResult> runs = new ArrayList<>();
        boolean withinBudget = true;
        for (int i = 0; i < ctx.options().repetitions(); i++) {
            SignalResult r = ctx.configure(window);
            runs.add(r);
            if (r.exec().timedOut() || r.exec().toClose() == null || r.exec().toClose().compareTo(budget) > 0) {
                withinBudget = false;
                break;
            }
        }
        List<Duration> payloadSamples = new ArrayList<>();
        List<Integer> payloadExits = new ArrayList<>();
        String note;
        if (withinBudget) {
            ctx.step("timing configure on the payload (" + ctx.options().repetitions() + " runs in one exec)");
            int n = ctx.options().repetitions();
            RemoteScript script = RemoteScript.builder().code(PayloadStamp.SHELL_FUNCTION)
                    .section("timing", "i=0; while [ $i -lt " + n + " ]; do a=$(sigkit_t); "
                            + SatelliteBus.configureCommand(window) + "; rc=$?; b=$(sigkit_t); "
                            // each line carries the nonce: configure runs inside this section, and whatever it
                            // writes to its parent's output must not pass for a sample
                            + "printf '%s %s %s %s %s\\n' \"$N\" \"$i\" \"$rc\" \"$a\" \"$b\"; i=$((i+1)); done", 64 * 1024).build();
            RemoteScript.Output out = script.run(ctx.bus().connection(), ctx.configureTimeout().multipliedBy(n),
                    "configure timed on the payload");
            ExecResult timed = out.exec();
            String problem = out.problem();
            for (String line : problem == null ? List.<String>of() : out.sections().lines("timing")) {
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
        return new ConfigureSeries(window, runs, payloadSamples, payloadExits, note);
    }

    public Window window() {
        return window;
    }

    public List<SignalResult> runs() {
        return runs;
    }

    public SignalResult first() {
        return runs.get(0);
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
}
