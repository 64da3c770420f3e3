package io.sigkit.run;

import io.sigkit.catalog.Tier;
import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.transport.HostKeyPolicy;
import io.sigkit.transport.TranscriptEntry;
import io.sigkit.waiver.Waiver;
import io.sigkit.waiver.WaiverDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of one certification run: the verdict, every requirement's result, the transcript of every command the
 * kit sent, who was certified, and the cleanup manifest.
 *
 * @param kitVersion the sigkit version
 * @param catalogVersion the requirement catalog's version
 * @param specVersion the Signaling API version certified ({@code 1.0})
 * @param verdict CONFORMANT, NOT_CONFORMANT or INCOMPLETE
 * @param target the certified payload's identity
 * @param hostKeyPolicy how the payload's host key was verified
 * @param hostKeyNewlyTrusted whether the key was trusted on first use during this run
 * @param tiers the tiers the run was allowed to use
 * @param strict whether RECOMMENDED failures counted against the verdict
 * @param startedAt when the run began
 * @param endedAt when the run ended
 * @param results one result per catalog requirement, in catalog order
 * @param transcript every command sent, in order
 * @param cleanup everything the kit created (or found left by an earlier run) and whether it was removed
 * @param sessionsOpened SSH sessions opened
 * @param execRequests SSH exec requests sent
 * @param settings the run's settings worth reporting (tasking user, window length, repetitions, reserved window IDs)
 * @param waivers what became of every waiver the run was given, in file order (empty: none given)
 */
public record RunResult(
        String kitVersion,
        String catalogVersion,
        String specVersion,
        Verdict verdict,
        TargetIdentity target,
        HostKeyPolicy hostKeyPolicy,
        boolean hostKeyNewlyTrusted,
        Set<Tier> tiers,
        boolean strict,
        Instant startedAt,
        Instant endedAt,
        List<RequirementResult> results,
        List<TranscriptEntry> transcript,
        List<CleanupItem> cleanup,
        int sessionsOpened,
        int execRequests,
        Map<String, Object> settings,
        List<WaiverDecision> waivers) {

    public RunResult {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(target, "target");
        tiers = Set.copyOf(tiers);
        results = List.copyOf(results);
        transcript = List.copyOf(transcript);
        cleanup = List.copyOf(cleanup);
        settings = Map.copyOf(settings);
        waivers = List.copyOf(waivers == null ? List.of() : waivers);
    }

    /** A run without waivers. */
    public RunResult(String kitVersion, String catalogVersion, String specVersion, Verdict verdict,
                     TargetIdentity target, HostKeyPolicy hostKeyPolicy, boolean hostKeyNewlyTrusted, Set<Tier> tiers,
                     boolean strict, Instant startedAt, Instant endedAt, List<RequirementResult> results,
                     List<TranscriptEntry> transcript, List<CleanupItem> cleanup, int sessionsOpened, int execRequests,
                     Map<String, Object> settings) {
        this(kitVersion, catalogVersion, specVersion, verdict, target, hostKeyPolicy, hostKeyNewlyTrusted, tiers, strict,
                startedAt, endedAt, results, transcript, cleanup, sessionsOpened, execRequests, settings, List.of());
    }

    /** The waiver applied to requirement {@code id}'s result (which is then WAIVED), if any. */
    public Optional<Waiver> waiverOf(String id) {
        return waivers.stream().filter(d -> d.applied() && d.waiver().id().equals(id)).map(WaiverDecision::waiver)
                .findFirst();
    }

    public Duration duration() {
        return Duration.between(startedAt, endedAt);
    }

    public Optional<RequirementResult> result(String id) {
        return results.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    public long count(Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }

    /** True when everything the kit created was removed. */
    public boolean cleanupComplete() {
        return cleanup.stream().allMatch(CleanupItem::removed);
    }
}
