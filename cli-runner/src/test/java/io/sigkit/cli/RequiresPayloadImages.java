package io.sigkit.cli;

import io.sigkit.testbed.PayloadImages;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Needs Podman and the payload images: skipped with the reason where they cannot be built, failed under CI=true. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresPayloadImages.Condition.class)
@interface RequiresPayloadImages {

    /** Backs {@link RequiresPayloadImages}. */
    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String reason = PayloadImages.unavailableReason();
            if (reason.isEmpty()) {
                return ConditionEvaluationResult.enabled("payload images can be built and run here");
            }
            if ("true".equalsIgnoreCase(Optional.ofNullable(System.getenv("CI")).orElse("").strip())) {
                throw new ExtensionConfigurationException("containers cannot run here, and CI=true forbids skipping "
                        + context.getDisplayName() + ": " + reason);
            }
            return ConditionEvaluationResult.disabled("containers cannot run here: " + reason
                    + " (with CI=true this is a failure)");
        }
    }
}
