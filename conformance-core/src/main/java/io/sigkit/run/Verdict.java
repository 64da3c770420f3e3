package io.sigkit.run;

import io.sigkit.catalog.Level;
import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import java.util.List;

/** The certification verdict over all results. */
public enum Verdict {
    /** Every REQUIRED requirement passed (and, when strict, every RECOMMENDED one too). */
    CONFORMANT,
    /**
     * Every REQUIRED requirement (and, when strict, every RECOMMENDED one) passed or failed under an applied waiver,
     * and at least one of them is WAIVED: conformant except for agreed deviations.
     */
    CONFORMANT_WITH_WAIVERS,
    /** A REQUIRED requirement failed (or, when strict, a RECOMMENDED one), without an applied waiver. */
    NOT_CONFORMANT,
    /** Nothing failed, but not every REQUIRED requirement could be shown to pass. */
    INCOMPLETE;

    /**
     * The verdict of a set of results: the one rule, used by the run and by anyone re-deriving a verdict from a
     * report's results. A requirement counts when it is REQUIRED, or RECOMMENDED under {@code strict}; a counted FAIL
     * makes it NOT_CONFORMANT; else every counted result PASS is CONFORMANT, every counted result PASS or WAIVED (at
     * least one WAIVED) CONFORMANT_WITH_WAIVERS, anything else (ERROR, SKIPPED, NOT_VERIFIED) INCOMPLETE. A WAIVED
     * result that does not count (a RECOMMENDED one without strict) does not change the verdict.
     *
     * @param results every requirement's result (outcome and level are read)
     * @param strict whether RECOMMENDED requirements count as REQUIRED ones do
     */
    public static Verdict of(List<RequirementResult> results, boolean strict) {
        boolean failed = results.stream().anyMatch(r -> r.isFailure(strict));
        if (failed) {
            return NOT_CONFORMANT;
        }
        List<RequirementResult> counted = results.stream()
                .filter(r -> r.level() == Level.REQUIRED || (strict && r.level() == Level.RECOMMENDED))
                .toList();
        if (counted.stream().allMatch(r -> r.outcome() == Outcome.PASS)) {
            return CONFORMANT;
        }
        boolean passOrWaived = counted.stream().allMatch(r -> r.outcome() == Outcome.PASS || r.outcome() == Outcome.WAIVED);
        return passOrWaived ? CONFORMANT_WITH_WAIVERS : INCOMPLETE;
    }
}
