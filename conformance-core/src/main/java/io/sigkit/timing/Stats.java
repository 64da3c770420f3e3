package io.sigkit.timing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Order statistics of duration samples. */
public final class Stats {
    private Stats() {
    }

    /** The median (p50); for an even count, the mean of the two middle samples. */
    public static Duration median(List<Duration> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        List<Duration> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }

    public static Duration max(List<Duration> samples) {
        return Collections.max(samples);
    }

    /** Milliseconds with one decimal, for messages: {@code 1234.5 ms}. */
    public static String ms(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", d.toNanos() / 1e6);
    }

    /** Seconds with two decimals, for messages: {@code 15.80 s}. */
    public static String s(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
    }
}
