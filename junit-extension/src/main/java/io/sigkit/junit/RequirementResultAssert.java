package io.sigkit.junit;

import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.text.SafeText;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on the result of one requirement. Obtain with {@link SigkitAssertions#assertThat(RequirementResult)} or
 * {@link RunResultAssert#hasResult(String)}.
 */
public final class RequirementResultAssert extends AbstractAssert<RequirementResultAssert, RequirementResult> {

    RequirementResultAssert(RequirementResult actual) {
        super(actual, RequirementResultAssert.class);
    }

    /**
     * Verifies the outcome.
     *
     * @param outcome the expected outcome
     * @return this assertion
     */
    public RequirementResultAssert hasOutcome(Outcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        isNotNull();
        if (actual.outcome() != outcome) {
            failWithMessage("%nExpecting %s [%s] %s%nto be %s%nbut it was %s: %s", actual.id(), actual.level(),
                    actual.title(), outcome, actual.outcome(), SafeText.escapeText(actual.message()));
        }
        return this;
    }

    /**
     * Same as {@link #hasOutcome(Outcome)}, reading well after {@code hasResult(id)}.
     *
     * @param outcome the expected outcome
     * @return this assertion
     */
    public RequirementResultAssert withOutcome(Outcome outcome) {
        return hasOutcome(outcome);
    }

    /**
     * Verifies the outcome is PASS.
     *
     * @return this assertion
     */
    public RequirementResultAssert passed() {
        return hasOutcome(Outcome.PASS);
    }

    /**
     * Verifies the kit's message contains {@code text}.
     *
     * @param text the expected part of the message
     * @return this assertion
     */
    public RequirementResultAssert hasMessageContaining(String text) {
        Objects.requireNonNull(text, "text");
        isNotNull();
        if (!actual.message().contains(text)) {
            failWithMessage("%nExpecting the message of %s%n  %s%nto contain%n  %s%nbut it does not", actual.id(),
                    SafeText.escapeText(actual.message()), SafeText.escapeText(text));
        }
        return this;
    }
}
