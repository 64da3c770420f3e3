package io.sigkit.timing;

import java.time.Duration;
import java.util.Optional;

/**
 * A time stamp taken on the payload by the kit's scripts: the realtime clock in nanoseconds ({@code date +%s%N},
 * where the payload's {@code date} supports it) and the monotonic uptime counter ({@code /proc/uptime}, 10 ms).
 *
 * <p>Durations between two stamps use the nanosecond realtime clock, unless it is missing or disagrees with the
 * monotonic counter by more than 50 ms (the clock was stepped in between), in which case the monotonic figure is used.
 */
public record PayloadStamp(Long realtimeNanos, Double uptimeSeconds) {
    /** The shell function {@code sigkit_t} that prints a stamp as {@code <ns or -> <uptime>}. */
    public static final String SHELL_FUNCTION = "sigkit_t() { x=$(date +%s%N 2>/dev/null); case \"$x\" in ''|*[!0-9]*) x=-;; esac;"
            + " echo \"$x $(cut -d' ' -f1 /proc/uptime 2>/dev/null)\"; }";

    /** Parses {@code <ns or -> <uptime>}; unparseable parts become {@code null}. */
    public static PayloadStamp parse(String rt, String up) {
        Long ns = null;
        Double upt = null;
        try {
            ns = rt == null || rt.equals("-") ? null : Long.parseLong(rt.trim());
        } catch (NumberFormatException e) {
            ns = null;
        }
        try {
            upt = up == null ? null : Double.parseDouble(up.trim());
        } catch (NumberFormatException e) {
            upt = null;
        }
        return new PayloadStamp(ns, upt);
    }

    /** The duration from this stamp to a later one, by the rule above. */
    public Optional<Duration> until(PayloadStamp later) {
        Duration mono = uptimeSeconds != null && later.uptimeSeconds != null
                ? Duration.ofNanos(Math.round((later.uptimeSeconds - uptimeSeconds) * 1e9)) : null;
        Duration real = realtimeNanos != null && later.realtimeNanos != null
                ? Duration.ofNanos(later.realtimeNanos - realtimeNanos) : null;
        if (real != null && !real.isNegative()
                && (mono == null || real.minus(mono).abs().compareTo(Duration.ofMillis(50)) <= 0)) {
            return Optional.of(real);
        }
        return Optional.ofNullable(mono);
    }
}
