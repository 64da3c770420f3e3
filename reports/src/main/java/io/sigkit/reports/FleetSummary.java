package io.sigkit.reports;

import io.sigkit.check.RequirementResult;
import io.sigkit.run.RunResult;
import io.sigkit.run.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a fleet certification ({@code sigkit certify --inventory}) found: one {@link Member} per target, in the
 * inventory's order, and the worst of them. Written by {@link FleetReports} as fleet.json, junit.xml and index.html.
 *
 * @param inventory the inventory file, as given
 * @param startedAt when the first certification started
 * @param endedAt when the last one ended
 * @param parallel how many targets were certified at a time
 * @param members one per target
 */
public record FleetSummary(String inventory, Instant startedAt, Instant endedAt, int parallel, List<Member> members) {

    /** A target's name: a plain directory name (see inventory.v1.schema.json). */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public FleetSummary {
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1, was " + parallel);
        }
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a fleet has at least one member");
        }
    }

    /** The worst member: the one whose status (then exit code) is the most severe. */
    public Member worst() {
        return members.stream().max(Comparator.comparing(Member::status).thenComparingInt(Member::exitCode)).orElseThrow();
    }

    /** How many members ended with {@code status}. */
    public long count(Status status) {
        return members.stream().filter(m -> m.status() == status).count();
    }

    /** How a target ended, from best to worst. */
    public enum Status {
        /** Certified: CONFORMANT. */
        CONFORMANT,
        /** Certified: CONFORMANT_WITH_WAIVERS (every failure that counts is waived). */
        CONFORMANT_WITH_WAIVERS,
        /** Certified: INCOMPLETE. */
        INCOMPLETE,
        /** Certified: NOT_CONFORMANT. */
        NOT_CONFORMANT,
        /** The kit could not log in (unreachable, no SSH answer, host key not trusted, login refused): not certified. */
        UNREACHABLE,
        /** The kit failed (an internal error, or the reports could not be written). */
        ERROR;

        /** The status of a certification verdict. */
        public static Status of(Verdict verdict) {
            return Status.valueOf(verdict.name());
        }
    }

    /**
     * One target of the fleet.
     *
     * @param name the inventory's name (a plain directory name)
     * @param target the SSH login as the inventory gives it
     * @param status how it ended
     * @param exitCode what {@code sigkit certify} exits with for this target alone
     * @param duration how long its certification took
     * @param reportDir its reports' directory relative to the fleet's, or null when none were written
     * @param result the certification's result, or null when there is none (ERROR)
     * @param error why there is no verdict (UNREACHABLE, ERROR), else null
     */
    public record Member(String name, String target, Status status, int exitCode, Duration duration, String reportDir,
                         RunResult result, String error) {
        public Member {
            Objects.requireNonNull(name, "name");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("fleet member name '" + name + "' is not " + NAME.pattern());
            }
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(duration, "duration");
            if ((status == Status.UNREACHABLE || status == Status.ERROR) != (error != null)) {
                throw new IllegalArgumentException("an error is given exactly when the status is UNREACHABLE or ERROR");
            }
        }

        /** A target certified, with its reports in {@code reportDir}. */
        public static Member certified(String name, String target, RunResult result, int exitCode, Duration duration,
                                       String reportDir) {
            return new Member(name, target, Status.of(result.verdict()), exitCode, duration, reportDir, result, null);
        }

        /** A target the kit could not log in to; {@code why} as the transport said it. */
        public static Member unreachable(String name, String target, RunResult result, int exitCode, Duration duration,
                                         String why) {
            return new Member(name, target, Status.UNREACHABLE, exitCode, duration, null, result, why);
        }

        /** A target whose certification failed in the kit. */
        public static Member failed(String name, String target, int exitCode, Duration duration, String why) {
            return new Member(name, target, Status.ERROR, exitCode, duration, null, null, why);
        }

        /** The requirements that count against the verdict, by ID (none without a result). */
        public List<String> failedRequirements() {
            return result == null || status == Status.UNREACHABLE ? List.of() : result.results().stream()
                    .filter(r -> r.isFailure(result.strict()) || r.outcome() == io.sigkit.check.Outcome.ERROR)
                    .map(RequirementResult::id).toList();
        }
    }
}
