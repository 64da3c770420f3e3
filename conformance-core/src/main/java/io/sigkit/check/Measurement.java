package io.sigkit.check;

import java.time.Duration;
import java.util.Objects;

/**
 * One timing sample behind a result.
 *
 * @param name what was timed, e.g. {@code "configure #2 to channel close"}
 * @param duration the measured duration
 * @param where {@code "kit"} when timed by the kit around an SSH call, {@code "payload"} when timed on the payload
 * @param run the repetition of a series the sample belongs to (1, 2, …), or 0 when it is not one of a series
 * @param budget the bound the sample is judged against, or {@code null} when it has none
 */
public record Measurement(String name, Duration duration, String where, int run, Duration budget) {
    public Measurement {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(where, "where");
        if (run < 0) {
            throw new IllegalArgumentException("run must be 0 (none) or a repetition number, was " + run);
        }
    }

    /** A sample outside any series, with no budget. */
    public Measurement(String name, Duration duration, String where) {
        this(name, duration, where, 0, null);
    }

    public static Measurement atKit(String name, Duration duration) {
        return new Measurement(name, duration, "kit");
    }

    public static Measurement onPayload(String name, Duration duration) {
        return new Measurement(name, duration, "payload");
    }

    /** This sample as repetition {@code run} of a series (the report groups a series' samples by run). */
    public Measurement inRun(int run) {
        return new Measurement(name, duration, where, run, budget);
    }

    /** This sample judged against {@code budget} (the report draws the budget with the samples). */
    public Measurement within(Duration budget) {
        return new Measurement(name, duration, where, run, Objects.requireNonNull(budget, "budget"));
    }

    public double millis() {
        return duration.toNanos() / 1_000_000.0;
    }
}
