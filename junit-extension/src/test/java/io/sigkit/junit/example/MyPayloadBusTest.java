package io.sigkit.junit.example;

import static io.sigkit.junit.SigkitAssertions.assertThat;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.sigkit.bus.PlacedFile;
import io.sigkit.bus.SatelliteBus;
import io.sigkit.bus.Window;
import io.sigkit.junit.PayloadAwait;
import io.sigkit.junit.SignalingConformance;
import io.sigkit.transport.PayloadConnection;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Example: your own tests of your payload, driving the satellite bus's calls the way the bus makes them.
 *
 * <p>Test methods of a {@link SignalingConformance} class may declare these parameters:
 * <ul>
 *   <li>{@link PayloadConnection}: the class's one SSH connection to the payload, as the signaling user (opened before
 *       the first test, closed by JUnit after the last);</li>
 *   <li>{@link SatelliteBus}: places window configs and uplinked files and sends the configure and start signals
 *       exactly as the bus does (no pseudo-terminal, through the user's login shell);</li>
 *   <li>{@link Window}: a fresh window per parameter, with an ID in the kit's reserved range, for the configured
 *       tasking user, ending {@code sigkit.windowSeconds} (default 60 s) from now.</li>
 * </ul>
 * After each test, whatever the bus placed is removed and the payload_exec processes of that test's windows are ended
 * (a leftover that cannot be removed fails the test).
 *
 * <p>The settings come from {@code junit-platform.properties}, system properties or the environment, as for
 * {@link MyPayloadConformanceTest}. With {@code disabledWhenUnreachable}, a developer whose lab payload is switched
 * off gets these tests skipped, with the reason, instead of failed; a payload that answers but refuses the key still
 * fails them.
 *
 * <p>The paths under {@code /var/lib/payload/} are what <em>this</em> payload does with a window (it keeps the config
 * and the uplinked files there at configure, and writes {@code result.json} at the end of the window's work); assert
 * on what yours does.
 */
@SignalingConformance(taskingUser = "ops-team", disabledWhenUnreachable = true)
public class MyPayloadBusTest {

    /** Installed as the bus expects: checked on the payload, as the signaling user. */
    @Test
    void payload_is_installed_as_the_bus_expects(PayloadConnection payload) {
        assertThat(payload)
                .hasExecutable(SatelliteBus.PAYLOAD_EXEC)            // /usr/bin/payload_exec
                .hasWritableDirectory(Window.CONFIG_DIR)             // /signaling/window_configs/
                .hasWritableDirectory(Window.INBOX_DIR);             // /signaling/inbox/
    }

    /** Uplink a file, place the window's config, signal configure: done within the spec's 15 s, file taken. */
    @Test
    void configure_takes_the_uplinked_plan(SatelliteBus bus, Window window, PayloadConnection payload) {
        // GIVEN a plan uplinked to the tasking user's inbox, and the window's config
        PlacedFile plan = bus.uplink(window.taskingUser(), "plan.json",
                "{\"target\": \"Lisbon\"}".getBytes(UTF_8));
        bus.placeWindowConfig(window);

        // WHEN the bus signals configure: payload_exec -u ops-team -e -w <id> > /dev/null
        // THEN it exits 0 within the budget (15 s), and our payload has moved the plan into its own store
        assertThat(bus.configure(window)).succeededWithin(SatelliteBus.CONFIGURE_BUDGET);
        assertThat(payload)
                .hasNoFile(plan.path())
                .hasFile("/var/lib/payload/" + window.id() + "/uplink/plan.json");
    }

    /** Start a short window: the signal returns at once, the work runs in the background and ends by the window end. */
    @Test
    void started_window_works_in_the_background_and_ends_in_time(SatelliteBus bus, Window window, PayloadConnection payload) {
        // GIVEN a configured window that ends in 4 s
        Window shortWindow = window.withEndTime(Instant.now().plusSeconds(4));
        bus.placeWindowConfig(shortWindow);
        assertThat(bus.configure(shortWindow)).succeeded();

        // WHEN the bus signals the window start: nohup payload_exec -u ops-team -w <id> -t <end> &> /dev/null &
        // THEN the signal's SSH exec completes at once: payload_exec must not hold the channel open
        assertThat(bus.startWindow(shortWindow)).returnedWithin(Duration.ofSeconds(2));

        // AND payload_exec runs for this window, writes its result, and has exited shortly after the window end.
        // Each wait polls the payload and, on timeout, fails naming what it waited for and where. (Wait for something
        // the window does before waiting for "no process": the start signal returns before payload_exec is up.)
        PayloadAwait.untilProcessRunning(payload, shortWindow.id(), Duration.ofSeconds(3));
        PayloadAwait.untilFileExists(payload, "/var/lib/payload/" + shortWindow.id() + "/result.json",
                Duration.ofSeconds(10));
        PayloadAwait.untilNoProcess(payload, shortWindow.id(), Duration.ofSeconds(5));
        assertThat(payload).hasNoProcessFor(shortWindow.id());
    }
}
