package io.sigkit.waiver;

import java.util.Objects;

/**
 * What became of one waiver in one run.
 *
 * @param waiver the waiver, as the file gave it
 * @param status whether it was applied, and if not why
 * @param note the same in words, naming the requirement's outcome, the dates or the hashes involved
 */
public record WaiverDecision(Waiver waiver, Status status, String note) {

    /** Whether a waiver was applied, and if not why. */
    public enum Status {
        /** The requirement failed; its result became WAIVED. */
        APPLIED,
        /** Past its expiry date: not applied. */
        EXPIRED,
        /** Bound to a payload_exec build other than the one certified: not applied. */
        OTHER_PAYLOAD_EXEC,
        /** Bound to a payload_exec build, but the run could not read payload_exec's SHA-256: not applied. */
        PAYLOAD_EXEC_UNKNOWN,
        /** Valid, but the requirement did not fail (it passed, was not evaluated, or an earlier waiver covered it). */
        UNUSED
    }

    public WaiverDecision {
        Objects.requireNonNull(waiver, "waiver");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(note, "note");
    }

    /** Whether the waiver was applied to its requirement's result. */
    public boolean applied() {
        return status == Status.APPLIED;
    }
}
