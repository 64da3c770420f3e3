package io.sigkit.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignalCommandTests {

    @Test
    void the_bus_commands_are_the_specs_lines() {
        Window w = new Window(1304893, "john", Instant.ofEpochSecond(1611718292), null, null);
        assertThat(SatelliteBus.configureCommand(w)).isEqualTo("/usr/bin/payload_exec -u john -e -w 1304893 > /dev/null");
        assertThat(SatelliteBus.startCommand(w))
                .isEqualTo("nohup /usr/bin/payload_exec -u john -w 1304893 -t 1611718292 &> /dev/null &");
    }

    @Test
    void options_are_reversed_as_groups_keeping_prefix_and_redirections() {
        SignalCommand c = SignalCommand.parse("/usr/bin/payload_exec -u john -e -w 1304893 > /dev/null");
        assertThat(c.withReversedOptions()).isEqualTo("/usr/bin/payload_exec -w 1304893 -e -u john > /dev/null");
        SignalCommand s = SignalCommand.parse("nohup /usr/bin/payload_exec -u john -w 7 -t 9 &> /dev/null &");
        assertThat(s.argv()).containsExactly("/usr/bin/payload_exec", "-u", "john", "-w", "7", "-t", "9");
        assertThat(s.prefix()).isEqualTo("nohup");
        assertThat(s.tail()).isEqualTo("&> /dev/null &");
    }

    @Test
    void windows_write_version_1_configs_and_live_in_the_reserved_ranges() {
        long base = Window.randomReservedBase();
        Window w = Window.reserved(base, 5, "john", Instant.now());
        assertThat(Window.isReserved(w.id())).isTrue();
        assertThat(w.id()).isLessThan(Integer.MAX_VALUE);
        assertThat(Window.isReserved(Window.wideBase(base) + 5)).isTrue();
        assertThat(Window.wideBase(base)).isGreaterThan(1L << 53);
        assertThat(w.configPath()).isEqualTo("/signaling/window_configs/" + w.id() + ".json");
        assertThat(w.config().get("version").asInt()).isEqualTo(1);
        assertThat(w.config().get("signal_parameters").get("tasking_parameters").isObject()).isTrue();
        assertThatThrownBy(() -> Window.reserved(base, 5_000_000, "john", Instant.now()))
                .hasMessageContaining("outside the kit's reserved ranges");
    }
}
