package io.sigkit.junit;

import java.util.Objects;

/**
 * Fails the test of a requirement the kit could not evaluate (outcome ERROR: the connection was lost, the kit's own
 * timeout struck, the payload answered something the kit cannot read). Not an assertion failure: nothing was shown to
 * be wrong with the payload, but nothing was shown to be right either, so the test must not pass.
 */
public final class RequirementEvaluationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String requirementId;

    /**
     * Creates the exception.
     *
     * @param requirementId the requirement, e.g. {@code SIG-CONF-002}
     * @param message the kit's message, starting with {@code [ID]}
     */
    public RequirementEvaluationException(String requirementId, String message) {
        super(Objects.requireNonNull(message, "message"));
        this.requirementId = Objects.requireNonNull(requirementId, "requirementId");
    }

    /**
     * The requirement that could not be evaluated.
     *
     * @return its ID
     */
    public String requirementId() {
        return requirementId;
    }
}
