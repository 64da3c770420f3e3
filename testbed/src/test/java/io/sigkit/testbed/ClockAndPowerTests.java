package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.testbed.junit.RequiresTestbed;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Clock and power commands inside are recorded, never executed, and the host's clock stays untouched. */
@RequiresTestbed
class ClockAndPowerTests {

    @Test
    void clock_and_power_commands_are_recorded_not_executed() {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference())) {
            // WHEN the signaling user sets the clock and powers off through sudo, as the bus does
            CommandResult set = OpenSsh.ssh(payload, String.join("; ",
                    "sudo -n date -s '2001-02-03 04:05:06'",
                    "sudo -n date --set=@0",
                    "sudo -n timedatectl set-time '2001-01-01 00:00:00'",
                    "sudo -n hwclock --systohc",
                    "sudo -n shutdown -h now",
                    "sudo -n halt",
                    "sudo -n poweroff",
                    "sudo -n reboot",
                    "date +%s"));
            Instant afterwards = Instant.now();

            // THEN date prints the time it was asked for, as the real one would after setting it
            assertThat(set.exitStatus()).as("stderr: %s", set.stderr()).isZero();
            assertThat(set.stdout()).contains("Sat Feb  3 04:05:06").contains("1970");
            // AND every call was recorded, in order, while reading the time was not
            assertThat(payload.calls()).containsExactly(
                    "date -s '2001-02-03 04:05:06'",
                    "date --set=@0",
                    "timedatectl set-time '2001-01-01 00:00:00'",
                    "hwclock --systohc",
                    "shutdown -h now",
                    "halt",
                    "poweroff",
                    "reboot");
            // AND neither the instance's clock nor the host's moved, and the instance still answers
            long inside = Long.parseLong(set.stdout().lines().reduce((first, second) -> second).orElseThrow());
            assertThat(Duration.between(Instant.ofEpochSecond(inside), afterwards).abs())
                    .isLessThan(Duration.ofSeconds(30));
            assertThat(OpenSsh.ssh(payload, "true").exitStatus()).isZero();
        }
    }

    @Test
    void the_real_date_cannot_set_the_shared_clock_even_as_root() {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference())) {
            Instant before = Instant.now();

            // WHEN root inside calls the real date binary, bypassing the stand-in
            CommandResult real = payload.exec("/usr/bin/date", "-s", "2001-01-01");

            // THEN the kernel refuses (CAP_SYS_TIME is dropped) and the host clock did not move
            assertThat(real.exitStatus()).isNotZero();
            assertThat(real.stderr()).contains("Operation not permitted");
            assertThat(Duration.between(before, Instant.now())).isBetween(Duration.ZERO, Duration.ofSeconds(30));
            assertThat(payload.calls()).isEmpty();
        }
    }

    @Test
    void with_halt_on_shutdown_the_instance_stops_answering_after_shutdown() throws Exception {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withHaltOnShutdown())) {
            // WHEN the bus's shutdown command is issued
            CommandResult shutdown = OpenSsh.ssh(payload, "sudo -n shutdown -h now");
            assertThat(shutdown.exitStatus()).as("stderr: %s", shutdown.stderr()).isZero();

            // THEN it is recorded, and the instance goes away within a few seconds
            assertThat(payload.calls()).containsExactly("shutdown -h now");
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (payload.isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(payload.isRunning()).as("instance still running 15 s after shutdown").isFalse();
            assertThat(OpenSsh.ssh(payload, "true").exitStatus()).isEqualTo(255);
        }
    }
}
