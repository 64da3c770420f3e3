package io.sigkit.reports;

import io.sigkit.catalog.Level;
import io.sigkit.catalog.Requirement;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.catalog.Tier;
import io.sigkit.check.Measurement;
import io.sigkit.check.RequirementResult;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.run.RunResult;
import io.sigkit.run.TargetIdentity;
import io.sigkit.run.Verdict;
import io.sigkit.transport.HostKeyPolicy;
import io.sigkit.transport.TranscriptEntry;
import io.sigkit.waiver.Waiver;
import io.sigkit.waiver.Waivers;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * RunResults of realistic shapes, built from the real catalog with RequirementResult's own builders: a conformant run,
 * a not conformant run with failures, skips, an error and hostile payload output, and a run whose connection failed.
 */
final class RunResultTestCase {

    /** Payload output that tries every way out of its context. */
    static final String HOSTILE = "</script><script>alert(1)</script> \"><img src=x onerror=alert(2)> ]]> "
            + "<!-- --> &amp; `tick` | pipe | ${x} {{y}} Grüße ✓ 漢字 😀 nul\u0000 bell\u0007 esc\u001b[31m del\u007f "
            + "c1\u0085 lone\uD800 ffff\uFFFF up\u001b[1A erase\u001b[2K osc\u001b]52;c;aGVsbG8=\u0007 cr\rover "
            + "rlo\u202eevil tab\tx end";

    /** The control characters of {@link #HOSTILE} as every text report shows them (before the format's own escaping). */
    static final String HOSTILE_CONTROLS_SHOWN = "nul\\x00 bell\\x07 esc\\x1b[31m del\\x7f c1\\u0085 lone\\ud800 ffff\\uffff "
            + "up\\x1b[1A erase\\x1b[2K osc\\x1b]52;c;aGVsbG8=\\x07 cr\\rover rlo\\u202eevil tab\\tx end";

    static final Instant STARTED = Instant.parse("2026-11-23T11:00:00.125Z");
    static final String FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";
    static final String SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final RequirementCatalog CATALOG = RequirementCatalog.load();
    /** SIG-CONF-002's budget, as ConfigureChecks gives it to each configure timing (and as evidence). */
    private static final Duration BUDGET = Duration.ofSeconds(15);

    private RunResultTestCase() {
    }

    /** Every REQUIRED passes; one RECOMMENDED fails (a warning without --strict), one is not verified. */
    static RunResult conformant() {
        return conformant(false);
    }

    /** As {@link #conformant()}, with {@code --strict} when asked (which turns the RECOMMENDED failure into a failure). */
    static RunResult conformant(boolean strict) {
        List<RequirementResult> results = results(req -> switch (req.id()) {
            case "SIG-CONF-002" -> configureTiming(req, 5, Duration.ofMillis(312));
            case "SIG-CONF-004" -> RequirementResult.of(req).evidence("windowId", "9000000000000000017")
                    .fail("configure for window 9000000000000000017 exited 2: invalid window id",
                            "exit status 0", "exit status 2");
            case "SIG-START-006" -> RequirementResult.of(req).notVerified("--link-hook", "needs a way to take the link down");
            default -> pass(req);
        });
        return run(results, strict, identity(), transcript(false), cleanup(true), 14, 61);
    }

    /**
     * REQUIRED failures (SIG-CONF-001: a configure with no exit status; SIG-TIME-002), RECOMMENDED ones (SIG-CONF-002
     * over budget, SIG-FS-006), skips, an error, a not verified one, and hostile output.
     */
    static RunResult notConformant() {
        List<RequirementResult> results = results(req -> switch (req.id()) {
            case "SIG-CONF-002" -> configureTimingOverBudget(req);
            case "SIG-CONF-001" -> RequirementResult.of(req).evidence("command", "/usr/bin/payload_exec -u john -e -w 2100000017")
                    .fail("configure for window 2100000017 gave no exit status within 20.00 s", "exit status 0",
                            "no exit status within 20.00 s");
            case "SIG-CONF-003", "SIG-CONF-004", "SIG-CONF-005" ->
                    RequirementResult.of(req).skipped("SIG-CONF-001", "SIG-CONF-001 is FAIL");
            case "SIG-FS-006" -> RequirementResult.of(req).evidence("mode", "0777")
                    .evidence("stderr", HOSTILE)
                    .fail("/usr/bin/payload_exec is writable by others: " + HOSTILE, "not writable by others",
                            "mode 0777 " + HOSTILE);
            case "SIG-START-003" -> RequirementResult.of(req).error("the SSH connection dropped: " + HOSTILE);
            case "SIG-END-001" -> RequirementResult.of(req).notVerified("--allow-destructive", "shutting down is destructive");
            case "SIG-TIME-002" -> RequirementResult.of(req).evidence("sudo", List.of("sudo: a password is required", HOSTILE))
                    .evidence("checkedAt", STARTED.plusSeconds(40))
                    .evidence("waited", Duration.ofMillis(1500))
                    .evidence("details", Map.of("exitStatus", 1))
                    .fail("date -s needs a password for 'signal'", "passwordless sudo for date", "password prompt");
            default -> pass(req);
        });
        return run(results, false, identity(), transcript(true), cleanup(false), 17, 73);
    }

    /** The connection was refused: SIG-ENV-002 fails, everything else is skipped or not verified; nothing ran. */
    /** A run's reason text for the applied waiver: the user's free text, with markup and table syntax in it. */
    static final String WAIVER_REASON = "rejects unknown keys <b>on purpose</b> | fixed in build 42 [NCR-7]";

    /**
     * Every REQUIRED passes but SIG-CFG-003, whose FAIL an applied waiver accepts (bound to the certified
     * payload_exec); also an expired waiver (SIG-CONF-004, which stays a RECOMMENDED FAIL), one bound to another
     * payload_exec (SIG-FS-006) and an unused one (SIG-CFG-001): CONFORMANT_WITH_WAIVERS.
     */
    static RunResult waived() {
        List<RequirementResult> results = results(req -> switch (req.id()) {
            case "SIG-CFG-003" -> RequirementResult.of(req).evidence("stderr", "unknown key 'x_extra'")
                    .fail("configure exited 1 for a config with an unknown key", "exit status 0", "exit status 1");
            case "SIG-CONF-004" -> RequirementResult.of(req).evidence("windowId", "9000000000000000017")
                    .fail("configure for window 9000000000000000017 exited 2", "exit status 0", "exit status 2");
            default -> pass(req);
        });
        Waivers waivers = Waivers.of("waivers.yaml", List.of(
                new Waiver("SIG-CFG-003", WAIVER_REASON, "J. Doe (customer QA)", LocalDate.of(2027, 1, 31), SHA),
                new Waiver("SIG-CONF-004", "wide IDs come with build 40", "R. Roe", LocalDate.of(2026, 1, 31), null),
                new Waiver("SIG-FS-006", "lab image", "R. Roe", LocalDate.of(2027, 1, 31), "0".repeat(64)),
                new Waiver("SIG-CFG-001", "belt and braces", "R. Roe", LocalDate.of(2027, 1, 31), null)), CATALOG);
        Waivers.Applied applied = waivers.apply(results, SHA, LocalDate.of(2026, 11, 23));
        RunResult r = run(applied.results(), false, identity(), transcript(false), cleanup(true), 14, 61);
        return new RunResult(r.kitVersion(), r.catalogVersion(), r.specVersion(), r.verdict(), r.target(),
                r.hostKeyPolicy(), r.hostKeyNewlyTrusted(), r.tiers(), r.strict(), r.startedAt(), r.endedAt(),
                r.results(), r.transcript(), r.cleanup(), r.sessionsOpened(), r.execRequests(), r.settings(),
                applied.decisions());
    }

    static RunResult connectionFailed() {
        List<RequirementResult> results = results(req -> switch (req.id()) {
            case "SIG-ENV-002" -> RequirementResult.of(req).evidence("address", "127.0.0.1:2299")
                    .fail("nothing accepts SSH connections at 127.0.0.1:2299: connection refused",
                            "an SSH daemon on 127.0.0.1:2299", "connection refused");
            case "SIG-END-001" -> RequirementResult.of(req).notVerified("--allow-destructive", "shutting down is destructive");
            default -> RequirementResult.of(req).skipped("SIG-ENV-002", "SIG-ENV-002 is FAIL");
        });
        TargetIdentity target = new TargetIdentity("127.0.0.1:2299", "", "", "", "signal", "", "", "");
        return run(results, false, target, List.of(), List.of(), 0, 0);
    }

    static List<RequirementResult> results(Function<Requirement, RequirementResult> decide) {
        List<RequirementResult> results = new ArrayList<>();
        for (Requirement req : CATALOG.requirements()) {
            results.add(decide.apply(req));
        }
        return results;
    }

    static RunResult run(List<RequirementResult> results, boolean strict, TargetIdentity target,
                         List<TranscriptEntry> transcript, List<CleanupItem> cleanup, int sessions, int execs) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("runId", "5eed1234");
        settings.put("taskingUser", "john");
        settings.put("windowLengthSeconds", 3.0);
        settings.put("repetitions", 5);
        settings.put("windowIds", List.of("2100000017", "2100000018"));
        settings.put("include", List.of());
        return new RunResult("0.1.0-test", CATALOG.version(), CATALOG.specVersion(), Verdict.of(results, strict), target,
                HostKeyPolicy.ACCEPT_NEW, true, Set.of(Tier.READ_ONLY, Tier.BUS_EQUIVALENT), strict, STARTED,
                STARTED.plusMillis(92_345), results, transcript, cleanup, sessions, execs, settings);
    }

    static TargetIdentity identity() {
        return new TargetIdentity("127.0.0.1:2201", "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3", "ssh-ed25519", FINGERPRINT,
                "signal", "/bin/bash", "Debian GNU/Linux 12 (bookworm) (Linux 6.1.0-18-amd64 x86_64)", SHA);
    }

    static RequirementResult pass(Requirement req) {
        return RequirementResult.of(req).evidence("observed", "as required").pass(req.title() + ": holds");
    }

    static RequirementResult configureTiming(Requirement req, int runs, Duration typical) {
        RequirementResult.Builder r = RequirementResult.of(req);
        for (int i = 1; i <= runs; i++) {
            Duration exit = typical.plusMillis(i * 7L);
            r.timing(Measurement.atKit("configure #" + i + " to exit status", exit).inRun(i).within(BUDGET));
            r.timing(Measurement.atKit("configure #" + i + " to channel close", exit.plusMillis(3)).inRun(i).within(BUDGET));
        }
        for (int i = 1; i <= runs; i++) {
            r.timing(Measurement.onPayload("configure #" + i + " on the payload clock", typical.minusMillis(40)).inRun(i)
                    .within(BUDGET));
        }
        return r.evidence("command", "/usr/bin/payload_exec -u john -e -w 2100000017 > /dev/null")
                .evidence("budgetMillis", 15000L).evidence("p50Millis", typical.toMillis())
                .pass(runs + " configure runs completed within 15 s");
    }

    static RequirementResult configureTimingOverBudget(Requirement req) {
        RequirementResult.Builder r = RequirementResult.of(req);
        long[] close = {14_200, 15_800, 9_100};
        for (int i = 1; i <= close.length; i++) {
            r.timing(Measurement.atKit("configure #" + i + " to exit status", Duration.ofMillis(close[i - 1] - 400)).inRun(i)
                    .within(BUDGET));
            r.timing(Measurement.atKit("configure #" + i + " to channel close", Duration.ofMillis(close[i - 1])).inRun(i)
                    .within(BUDGET));
        }
        return r.evidence("command", "/usr/bin/payload_exec -u john -e -w 2100000017 > /dev/null")
                .evidence("budgetMillis", 15000L).evidence("stderr", HOSTILE)
                .fail("configure for window 2100000017 ran 15.80 s (budget 15 s) on payload 127.0.0.1:2201 as 'signal'",
                        "completes within 15 s", "15.80 s");
    }

    static List<TranscriptEntry> transcript(boolean hostile) {
        List<TranscriptEntry> t = new ArrayList<>();
        t.add(new TranscriptEntry(1, "uname -srm; cat /etc/os-release", 0, Duration.ofMillis(41), Duration.ofMillis(43),
                false, STARTED.plusMillis(900), "facts probe"));
        for (int i = 1; i <= 3; i++) {
            t.add(new TranscriptEntry(1 + i, "/usr/bin/payload_exec -u john -e -w 2100000017 > /dev/null", 0,
                    Duration.ofMillis(300 + i), Duration.ofMillis(303 + i), false, STARTED.plusSeconds(2L + i),
                    "SIG-CONF-002 configure #" + i));
        }
        t.add(new TranscriptEntry(5, hostile ? "printf '%s' '" + HOSTILE + "'" : "true", null, null, null, true,
                STARTED.plusSeconds(30), "SIG-START-003 start " + (hostile ? HOSTILE : "")));
        return t;
    }

    static List<CleanupItem> cleanup(boolean allRemoved) {
        return List.of(
                new CleanupItem(CleanupItem.Kind.WINDOW_CONFIG, "/signaling/window_configs/2100000017.json", "this run",
                        true, ""),
                new CleanupItem(CleanupItem.Kind.FILE, "/signaling/inbox/john/sigkit-5eed1234.bin", "this run",
                        allRemoved, allRemoved ? "moved out of the inbox by payload_exec before cleanup"
                        : "rm: cannot remove: Permission denied"),
                new CleanupItem(CleanupItem.Kind.PROCESS, "pid 4242: /usr/bin/payload_exec -u john -w 2100000018 -t 1900000000",
                        "earlier run", true, "ended with SIGTERM"));
    }

    /** The results of one level and outcome, for assertions. */
    static long count(RunResult run, Level level, io.sigkit.check.Outcome outcome) {
        return run.results().stream().filter(r -> r.level() == level && r.outcome() == outcome).count();
    }
}
