package io.sigkit.timing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The payload clock's offset to the kit's, estimated NTP-style: for each sample the kit notes when it sent the
 * request ({@code t0}) and when the answer arrived ({@code t1}); the payload's clock reading {@code T} is assumed to
 * be taken half-way, so {@code offset = T - (t0 + t1) / 2} with an uncertainty of half the round trip. The sample with
 * the shortest round trip wins.
 */
public record ClockOffset(Duration offset, Duration uncertainty, List<Sample> samples, Duration resolution) {

    public ClockOffset {
        Objects.requireNonNull(offset, "offset");
        Objects.requireNonNull(uncertainty, "uncertainty");
        samples = List.copyOf(samples);
    }

    /** One round trip: sent at {@code sent}, answered at {@code received}, payload clock read {@code payload}. */
    public record Sample(Instant sent, Instant received, Instant payload) {
        public Duration roundTrip() {
            return Duration.between(sent, received);
        }

        public Duration offset() {
            Instant mid = sent.plus(roundTrip().dividedBy(2));
            return Duration.between(mid, payload);
        }
    }

    /**
     * The estimate from samples.
     *
     * @param resolution the payload clock's resolution (1 ns with {@code date +%s%N}, 1 s with plain {@code date +%s});
     *                   half of it is added to the uncertainty
     */
    public static ClockOffset estimate(List<Sample> samples, Duration resolution) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no clock samples");
        }
        Sample best = samples.get(0);
        for (Sample s : samples) {
            if (s.roundTrip().compareTo(best.roundTrip()) < 0) {
                best = s;
            }
        }
        Duration offset = best.offset();
        if (resolution.compareTo(Duration.ofMillis(1)) > 0) {
            // a truncated reading is on average half a tick early
            offset = offset.plus(resolution.dividedBy(2));
        }
        return new ClockOffset(offset, best.roundTrip().dividedBy(2).plus(resolution.dividedBy(2)), samples, resolution);
    }
}
