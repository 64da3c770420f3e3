package io.sigkit.timing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimingTests {

    @Test
    void payload_durations_use_nanosecond_realtime_unless_the_clock_stepped() {
        PayloadStamp a = PayloadStamp.parse("1000000000000000000", "100.00");
        PayloadStamp b = PayloadStamp.parse("1000000001000400000", "101.00");
        assertThat(a.until(b)).contains(Duration.ofNanos(1_000_400_000));
        PayloadStamp stepped = PayloadStamp.parse("1000000061000000000", "101.00");
        assertThat(a.until(stepped)).as("a 60 s clock step falls back to uptime").contains(Duration.ofSeconds(1));
        PayloadStamp busybox = PayloadStamp.parse("-", "100.50");
        PayloadStamp busybox2 = PayloadStamp.parse("-", "101.70");
        assertThat(busybox.until(busybox2)).contains(Duration.ofMillis(1200));
    }

    @Test
    void clock_offset_takes_the_shortest_round_trip() {
        Instant t0 = Instant.parse("2026-11-23T12:00:00Z");
        ClockOffset.Sample slow = new ClockOffset.Sample(t0, t0.plusMillis(300), t0.plusMillis(2150));
        ClockOffset.Sample fast = new ClockOffset.Sample(t0.plusSeconds(1), t0.plusSeconds(1).plusMillis(100),
                t0.plusSeconds(1).plusMillis(2050));
        ClockOffset c = ClockOffset.estimate(List.of(slow, fast), Duration.ofNanos(1));
        assertThat(c.offset()).isEqualTo(Duration.ofMillis(2000));
        assertThat(c.uncertainty()).isBetween(Duration.ofMillis(50), Duration.ofMillis(51));
    }

    @Test
    void median_of_even_and_odd_counts() {
        assertThat(Stats.median(List.of(Duration.ofMillis(3), Duration.ofMillis(1), Duration.ofMillis(2))))
                .isEqualTo(Duration.ofMillis(2));
        assertThat(Stats.median(List.of(Duration.ofMillis(4), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(3))))
                .isEqualTo(Duration.ofNanos(2_500_000));
    }
}
