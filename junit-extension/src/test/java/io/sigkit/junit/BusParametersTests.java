package io.sigkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sigkit.bus.SatelliteBus;
import io.sigkit.bus.Window;
import io.sigkit.junit.fixtures.BusParametersTestCase;
import io.sigkit.testbed.CommandResult;
import io.sigkit.testbed.junit.Payload;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.transport.PayloadConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * A payload developer's own tests with injected {@code PayloadConnection}, {@code SatelliteBus} and {@code Window}
 * parameters, on the testbed's reference payload: one connection per class, closed by JUnit; a fresh reserved window
 * per parameter; everything a test placed or started removed after it.
 */
@RequiresTestbed
class BusParametersTests {

    @BeforeEach
    void clear() {
        BusParametersTestCase.WINDOWS.clear();
        BusParametersTestCase.CONNECTIONS.clear();
    }

    @Test
    void users_tests_drive_the_bus_and_leave_nothing_behind(@Payload RunningPayload payload) {
        // GIVEN a class of the user's tests that configures, starts and leaves a window running
        // WHEN it runs against the reference payload
        EngineExecutionResults results = Engine.run(BusParametersTestCase.class, Engine.settingsFor(payload));

        // THEN every test passes
        assertThat(results.testEvents().succeeded().count()).as(ReferencePayloadConformanceTests.describe(results))
                .isEqualTo(4);

        // AND all of them got the same connection, which JUnit closed with the class
        assertThat(BusParametersTestCase.CONNECTIONS).hasSize(3);
        PayloadConnection shared = BusParametersTestCase.CONNECTIONS.get(0);
        assertThat(BusParametersTestCase.CONNECTIONS).allSatisfy(c -> assertThat(c).isSameAs(shared));
        assertThatThrownBy(() -> shared.exec("true", Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed");

        // AND each window parameter was a fresh window of the kit's reserved range, for the configured user
        Set<Long> ids = BusParametersTestCase.WINDOWS.stream().map(Window::id).collect(Collectors.toSet());
        assertThat(ids).hasSize(3).allMatch(Window::isReserved);
        assertThat(BusParametersTestCase.WINDOWS).allSatisfy(w -> {
            assertThat(w.taskingUser()).isEqualTo("ops-team");
            assertThat(w.taskingParameters().get("work_seconds").asInt()).isEqualTo(600);
        });

        // AND no config, no uplink directory and no payload_exec of those windows is left on the payload,
        // although one test left its window running for 600 s
        for (long id : ids) {
            assertThat(payload.execShell("test -e /signaling/window_configs/" + id + ".json").exitStatus())
                    .as("config of window %d", id).isNotZero();
            assertThat(payloadExecOf(payload, id)).as("payload_exec of window %d", id).isEmpty();
        }
        assertThat(payload.execShell("test -e /signaling/inbox/ops-team").exitStatus()).isNotZero();
    }

    @Test
    void the_leftover_check_sees_a_running_window(@Payload RunningPayload payload) {
        // GIVEN a window started directly, working for 600 s
        try (PayloadConnection connection = PayloadConnection.open(Engine.connectionSettings(payload))) {
            SatelliteBus bus = new SatelliteBus(connection);
            Window window = Window.reserved(Window.randomReservedBase(), 0, "ops", Instant.now().plusSeconds(600))
                    .withTaskingParameters(JsonNodeFactory.instance.objectNode().put("work_seconds", 600));
            bus.placeWindowConfig(window);
            bus.configure(window);
            bus.startWindow(window);
            PayloadAwait.untilProcessRunning(connection, window.id(), Duration.ofSeconds(10));

            // WHEN / THEN the check used above finds it, and no longer after the bus's cleanup
            assertThat(payloadExecOf(payload, window.id())).isNotEmpty();
            bus.cleanUp();
            assertThat(payloadExecOf(payload, window.id())).isEmpty();
        }
    }

    /** payload_exec processes of the window, as root inside the payload. */
    static String payloadExecOf(RunningPayload payload, long windowId) {
        // arguments joined by \001, so that this script's own command line (which holds the pattern) never matches
        CommandResult ps = payload.execShell("S=$(printf '\\001'); for p in /proc/[0-9]*; do"
                + " c=$(tr '\\000' '\\001' < $p/cmdline 2>/dev/null) || continue;"
                + " case \"$c\" in *payload_exec\"$S\"*\"$S-w$S" + windowId + "$S\"*) echo \"${p#/proc/} $c\" ;; esac; done");
        assertThat(ps.exitStatus()).as(ps.stderr()).isZero();
        return ps.stdout().strip();
    }
}
