package io.sigkit.check;

import java.time.Duration;
import java.util.Objects;

/**
 * One timing sample behind a result.
 *
 * @param name what was timed, e.g. {@code "configure#2 to close"}
 * @param duration the measured duration
 * @param where {@code "kit"} when timed by the kit around an SSH call, {@code "payload"} when timed on the payload
 */
public record Measurement(String name, Duration duration, String where) {
    public Measurement {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(where, "where");
    }

    public static Measurement atKit(String name, Duration duration) {
        return new Measurement(name, duration, "kit");
    }

    public static Measurement onPayload(String name, Duration duration) {
        return new Measurement(name, duration, "payload");
    }

    public double millis() {
        return duration.toNanos() / 1_000_000.0;
    }
}
