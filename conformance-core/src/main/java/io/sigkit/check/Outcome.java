package io.sigkit.check;

/** What the kit concluded about one requirement. */
public enum Outcome {
    /** The requirement holds, with evidence. */
    PASS,
    /** The requirement does not hold, with evidence. */
    FAIL,
    /** The kit could not evaluate the requirement (connection lost, its own timeout, unexpected output). */
    ERROR,
    /** A prerequisite requirement did not pass; the result names the blocking ID. */
    SKIPPED,
    /** The requirement needs a tier, hook or selection that was not enabled; the result names what enables it. */
    NOT_VERIFIED,
    /**
     * The requirement failed and an agreed waiver accepts the deviation: the result keeps the failure's message,
     * expected, actual and evidence; the run's waivers say which waiver (only a FAIL is ever waived).
     */
    WAIVED
}
