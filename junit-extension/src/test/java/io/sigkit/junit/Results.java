package io.sigkit.junit;

import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.catalog.Tier;
import io.sigkit.check.Measurement;
import io.sigkit.check.RequirementResult;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.run.RunResult;
import io.sigkit.run.TargetIdentity;
import io.sigkit.run.Verdict;
import io.sigkit.transport.HostKeyPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Results as the kit makes them, for tests that need no payload. */
final class Results {
    static final RequirementCatalog CATALOG = RequirementCatalog.load();

    private Results() {
    }

    static RequirementResult.Builder of(String id) {
        return RequirementResult.of(CATALOG.get(id));
    }

    static RequirementResult pass(String id) {
        return of(id).evidence("seen", "as expected").timing(Measurement.atKit("configure#1 to close",
                Duration.ofMillis(112))).pass("all good");
    }

    static RunResult run(boolean strict, List<RequirementResult> results, List<CleanupItem> cleanup) {
        Instant start = Instant.parse("2026-11-23T12:00:00Z");
        return new RunResult("test", CATALOG.version(), CATALOG.specVersion(), Verdict.of(results, strict),
                new TargetIdentity("127.0.0.1:2201", "SSH-2.0-OpenSSH_9.2", "ssh-ed25519", "SHA256:abc", "sigapi",
                        "/bin/bash", "Debian 12", "4b11"),
                HostKeyPolicy.STRICT, false, Set.of(Tier.READ_ONLY, Tier.BUS_EQUIVALENT), strict, start,
                start.plusSeconds(14), results, List.of(), cleanup, 1, 40, Map.of("runId", "cafe"));
    }
}
