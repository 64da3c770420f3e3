package io.sigkit.run;

import io.sigkit.check.RequirementResult;
import io.sigkit.transport.ConnectionSettings;
import io.sigkit.transport.SshTarget;
import java.nio.file.Path;
import java.time.Duration;

/** A developer's tool: certify a target from the test classpath and print every result. Args: target identity knownHosts. */
public final class ManualCertify {
    private ManualCertify() {
    }

    public static void main(String[] args) {
        ConnectionSettings settings = ConnectionSettings.builder(SshTarget.parse(args[0]))
                .identity(Path.of(args[1])).knownHosts(Path.of(args[2])).build();
        RunOptions.Builder options = RunOptions.builder(settings).windowLength(Duration.ofSeconds(3));
        for (int i = 3; i < args.length; i++) {
            switch (args[i]) {
                case "--all-tiers" -> options.allowClockSet(true).allowDestructive(true).shutdownBound(Duration.ofSeconds(10));
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        long t0 = System.nanoTime();
        RunResult r = Certification.run(options.build(), new ProgressListener() {
            @Override
            public void requirementFinished(RequirementResult result, Duration elapsed) {
                System.out.printf("%6.2fs %-14s %-12s %s%n", elapsed.toMillis() / 1000.0, result.id(), result.outcome(), result.message());
            }

            @Override
            public void step(String description) {
                System.out.println("        … " + description);
            }
        });
        System.out.printf("verdict %s in %.2f s; sessions %d, execs %d%n", r.verdict(), (System.nanoTime() - t0) / 1e9,
                r.sessionsOpened(), r.execRequests());
        r.cleanup().forEach(c -> System.out.println("cleanup " + c));
        r.transcript().forEach(t -> System.out.println("transcript " + t.session() + " " + t.exitStatus() + " "
                + t.toExit() + " " + t.toClose() + " " + t.command().lines().findFirst().orElse("")));
    }
}
