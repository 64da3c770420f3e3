package io.sigkit.run;

import io.sigkit.check.RequirementResult;
import io.sigkit.check.StepListener;
import java.time.Duration;

/** Follows a certification run as it goes; every method has a do-nothing default. */
public interface ProgressListener extends StepListener {
    ProgressListener NONE = new ProgressListener() { };

    /** The run is about to connect to the target. */
    default void runStarted(String target, int requirements) {
    }

    /** A step of the run began (e.g. "probing the payload", "waiting for window 2100123000 to end"). */
    @Override
    default void step(String description) {
    }

    /** One requirement has its result; {@code elapsed} is the time since the run started. */
    default void requirementFinished(RequirementResult result, Duration elapsed) {
    }

    /** The run is over; the result is complete. */
    default void runFinished(RunResult result) {
    }
}
