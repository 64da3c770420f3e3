package io.sigkit.run;

import io.sigkit.catalog.Level;
import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import java.util.List;

/** The certification verdict over all results. */
public enum Verdict {
    /** Every REQUIRED requirement passed (and, when strict, every RECOMMENDED one too). */
    CONFORMANT,
    /** A REQUIRED requirement failed (or, when strict, a RECOMMENDED one). */
    NOT_CONFORMANT,
    /** Nothing failed, but not every REQUIRED requirement could be shown to pass. */
    INCOMPLETE;

    public static Verdict of(List<RequirementResult> results, boolean strict) {
        boolean failed = results.stream().anyMatch(r -> r.isFailure(strict));
        if (failed) {
            return NOT_CONFORMANT;
        }
        boolean allRequiredPass = results.stream()
                .filter(r -> r.level() == Level.REQUIRED || (strict && r.level() == Level.RECOMMENDED))
                .allMatch(r -> r.outcome() == Outcome.PASS);
        return allRequiredPass ? CONFORMANT : INCOMPLETE;
    }
}
