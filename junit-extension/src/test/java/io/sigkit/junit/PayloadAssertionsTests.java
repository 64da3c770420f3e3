package io.sigkit.junit;

import static io.sigkit.junit.SigkitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sigkit.bus.SatelliteBus;
import io.sigkit.bus.Window;
import io.sigkit.probe.RemoteProcess;
import io.sigkit.testbed.junit.Payload;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.transport.PayloadConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/** The assertions on a payload and the waits for its asynchronous work, on testbed payloads. */
@RequiresTestbed
class PayloadAssertionsTests {

    private static PayloadConnection connect(RunningPayload payload) {
        return PayloadConnection.open(Engine.connectionSettings(payload));
    }

    @Test
    void reference_payload_looks_as_the_spec_says(@Payload RunningPayload payload) {
        try (PayloadConnection connection = connect(payload)) {
            assertThatCode(() -> assertThat(connection)
                    .hasExecutable("/usr/bin/payload_exec")
                    .hasFile("/usr/bin/payload_exec")
                    .hasWritableDirectory("/signaling/inbox")
                    .hasWritableDirectory("/signaling/window_configs/")
                    .hasNoFile("/signaling/window_configs/2100999999.json")
                    .hasNoProcessFor(2_100_999_999L))
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void failures_describe_what_is_on_the_payload(@Payload(variant = "payload-exec-not-executable") RunningPayload payload) {
        try (PayloadConnection connection = connect(payload)) {
            String target = connection.settings().target().toString();

            assertThatThrownBy(() -> assertThat(connection).hasExecutable("/usr/bin/payload_exec"))
                    .hasMessageStartingWith(String.format("%nExpecting payload %s to have a file%n"
                            + "  /usr/bin/payload_exec%nthat sigapi can execute%nbut it is -rw-r--r-- 1 root root", target));
            assertThatThrownBy(() -> assertThat(connection).hasExecutable("/usr/bin/no_such_exec"))
                    .hasMessageEndingWith("but it does not exist");
            assertThatThrownBy(() -> assertThat(connection).hasWritableDirectory("/etc"))
                    .hasMessageContaining("that sigapi can write%nbut it is drwxr-xr-x".formatted());
            assertThatThrownBy(() -> assertThat(connection).hasNoFile("/etc/hostname"))
                    .hasMessageContaining("to have nothing at%n  /etc/hostname%nbut it is -".formatted());
            payload.execShell("ln -s /opt/nowhere /usr/local/bin/dangling");
            assertThatThrownBy(() -> assertThat(connection).hasFile("/usr/local/bin/dangling"))
                    .hasMessageContaining("(a symbolic link to nothing)");
        }
    }

    @Test
    void waits_follow_the_windows_work_and_name_what_they_waited_for(@Payload RunningPayload payload) {
        try (PayloadConnection connection = connect(payload)) {
            SatelliteBus bus = new SatelliteBus(connection);
            Window window = Window.reserved(Window.randomReservedBase(), 0, "ops", Instant.now().plusSeconds(4));
            try {
                bus.placeWindowConfig(window);
                assertThat(bus.configure(window)).succeededWithin(Duration.ofSeconds(15));
                assertThat(bus.startWindow(window)).returnedWithin(Duration.ofSeconds(2));

                // the window's payload_exec runs, writes its result, and exits by the window end
                List<RemoteProcess> running = PayloadAwait.untilProcessRunning(connection, window.id(),
                        Duration.ofSeconds(5));
                assertThat(running).isNotEmpty().allMatch(p -> p.isPayloadExecFor(window.id()));
                PayloadAwait.untilFileExists(connection, "/var/lib/payload/" + window.id() + "/result.json",
                        Duration.ofSeconds(10));
                PayloadAwait.untilNoProcess(connection, window.id(), Duration.ofSeconds(10));
                assertThat(connection).hasNoProcessFor(window.id());

                // a wait that times out says what it waited for, and where
                assertThatThrownBy(() -> PayloadAwait.untilFileExists(connection, "/var/lib/payload/never",
                        Duration.ofMillis(800)))
                        .isInstanceOf(ConditionTimeoutException.class)
                        .hasMessageContaining("file /var/lib/payload/never to appear on " + payload.target());
                assertThatThrownBy(() -> PayloadAwait.untilProcessRunning(connection, window.id(),
                        Duration.ofMillis(800)))
                        .isInstanceOf(ConditionTimeoutException.class)
                        .hasMessageContaining("payload_exec of window " + window.id() + " to run on " + payload.target());
            } finally {
                bus.cleanUp();
            }
        }
    }
}
