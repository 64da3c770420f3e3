package io.sigkit.check;

/**
 * Hears the steps of a run the checks take (e.g. "waiting for window 2100123000 to end"). Users implement
 * {@link io.sigkit.run.ProgressListener}, which extends it.
 */
public interface StepListener {
    /** A step of the run began. */
    void step(String description);
}
