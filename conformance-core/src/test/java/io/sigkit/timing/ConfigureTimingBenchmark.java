package io.sigkit.timing;

import io.sigkit.check.Measurement;
import io.sigkit.check.RequirementResult;
import io.sigkit.run.Certification;
import io.sigkit.run.RunOptions;
import io.sigkit.run.RunResult;
import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import io.sigkit.transport.ConnectionSettings;
import io.sigkit.transport.PayloadConnection;
import io.sigkit.transport.SshTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Benchmark of the kit's configure timing accuracy (not a test): on a testbed payload whose payload_exec sleeps
 * exactly 1.000 s, SIG-CONF-002 is measured N times; prints the payload-side and kit-side medians, and the overhead of
 * one call ({@code true}) on the same kind of session. Goal: payload-side within ±20 ms of 1000 ms; kit-side minus
 * payload-side at most one call's overhead. Measured twice: with SIG-CONF-002 alone, and within a whole certification
 * with the default tiers, whose windows run while the checks after the configure series go on (the timed series
 * itself runs each timed run alone on the session, while the main window runs). Run with {@code conformance-core/bench/configure-timing.sh [N]}.
 */
public final class ConfigureTimingBenchmark {
    private ConfigureTimingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path exe = Files.createTempFile("payload_exec-sleep1", "");
        Files.writeString(exe, "#!/bin/sh\nsleep 1\n");
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withPayloadExec(exe))) {
            ConnectionSettings settings = ConnectionSettings.builder(SshTarget.parse(payload.target()))
                    .identity(payload.identity()).knownHosts(payload.knownHosts()).build();
            List<Duration> overhead = new ArrayList<>();
            try (PayloadConnection c = PayloadConnection.open(settings)) {
                for (int i = 0; i < 2 * n + 3; i++) {
                    Duration d = c.exec("true", Duration.ofSeconds(10)).toClose();
                    if (i >= 3) {
                        overhead.add(d);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "server %s, %d runs; one call's overhead (median of %d 'true' execs): %s%n",
                    payload.server(), n, overhead.size(), Stats.ms(Stats.median(overhead)));
            // alone: only SIG-CONF-002 selected; then within a whole default certification, whose start scenario runs
            // its windows while the checks after the configure series go on
            // (SIG-ENV-003 too: the run creates its scratch directory only once the login is shown to work)
            report("SIG-CONF-002 alone", Certification.run(RunOptions.builder(settings).include("SIG-ENV-003")
                    .include("SIG-CONF-002").repetitions(n).build()), Stats.median(overhead));
            report("whole certification (default tiers, windows running concurrently)", Certification.run(
                    RunOptions.builder(settings).repetitions(n).windowLength(Duration.ofSeconds(3)).build()),
                    Stats.median(overhead));
        } finally {
            Files.deleteIfExists(exe);
        }
    }

    private static void report(String what, RunResult r, Duration o) {
        RequirementResult conf = r.result("SIG-CONF-002").orElseThrow();
        List<Duration> payloadSide = new ArrayList<>();
        List<Duration> kitExit = new ArrayList<>();
        List<Duration> kitClose = new ArrayList<>();
        for (Measurement m : conf.timings()) {
            if (m.where().equals("payload")) {
                payloadSide.add(m.duration());
            } else if (m.name().endsWith("to exit status")) {
                kitExit.add(m.duration());
            } else if (m.name().endsWith("to channel close")) {
                kitClose.add(m.duration());
            }
        }
        System.out.println(what + ": " + conf.message());
        if (payloadSide.isEmpty() || kitClose.isEmpty()) {
            System.out.println("  no timings to compare: " + conf.outcome() + ", evidence " + conf.evidence());
            return;
        }
        Duration p = Stats.median(payloadSide);
        Duration k = Stats.median(kitClose);
        System.out.printf(Locale.ROOT, "  payload-side median %s (error vs 1000 ms: %+.1f ms; goal ±20 ms) samples %s%n",
                Stats.ms(p), (p.toNanos() - 1e9) / 1e6, ms(payloadSide));
        System.out.printf(Locale.ROOT, "  kit-side median to exit %s, to close %s; samples %s%n",
                Stats.ms(Stats.median(kitExit)), Stats.ms(k), ms(kitClose));
        System.out.printf(Locale.ROOT, "  kit-side minus payload-side: %s (goal: at most one call's overhead, %s) -> %s%n",
                Stats.ms(k.minus(p)), Stats.ms(o),
                k.minus(p).compareTo(o) <= 0 && Math.abs(p.toNanos() - 1e9) <= 20e6 ? "MET" : "NOT MET");
    }

    private static String ms(List<Duration> ds) {
        return ds.stream().map(d -> String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e6)).toList().toString();
    }
}
