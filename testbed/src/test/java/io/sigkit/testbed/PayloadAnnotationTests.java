package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.testbed.junit.Payload;
import io.sigkit.testbed.junit.RequiresTestbed;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A test declares its payload with @Payload; JUnit starts it before and closes it after the test. */
@RequiresTestbed
class PayloadAnnotationTests {

    private static final List<RunningPayload> SEEN = new ArrayList<>();

    @Test
    void the_declared_payload_is_injected(@Payload(shell = LoginShell.DASH, server = SshServerKind.DROPBEAR, sftp = false,
            sudo = SudoMode.NONE) RunningPayload payload) {
        SEEN.add(payload);

        assertThat(payload.isRunning()).isTrue();
        assertThat(payload.shell()).isEqualTo(LoginShell.DASH);
        assertThat(payload.server()).isEqualTo(SshServerKind.DROPBEAR);
        assertThat(payload.spec().sudo()).isEqualTo(SudoMode.NONE);
        assertThat(OpenSsh.ssh(payload, "echo $0").stdout().strip()).isEqualTo("dash");
    }

    @Test
    void two_payloads_in_one_test(@Payload RunningPayload first, @Payload(netns = true) RunningPayload second) {
        SEEN.add(first);
        SEEN.add(second);

        assertThat(first.name()).isNotEqualTo(second.name());
        assertThat(OpenSsh.ssh(second, "echo $SSH_CONNECTION").stdout()).startsWith("10.42.0.1 ");
    }

    @AfterAll
    static void everyInjectedPayloadWasClosed() {
        assertThat(SEEN).hasSize(3);
        assertThat(SEEN).noneMatch(RunningPayload::isRunning);
        assertThat(SEEN).allSatisfy(payload -> assertThat(HostTraces.STATE_ROOT.resolve(payload.name())).doesNotExist());
    }
}
