package io.sigkit.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sigkit.transport.ExecResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** SIG-DLV-001's exec fallback: kit-written code under every shell, its tool's status read only with the nonce. */
class OortAgentQueryTests {

    static Stream<List<String>> shells() {
        return LocalShell.available().stream();
    }

    private static boolean somethingListensOn2005() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(OortAgentQuery.HOST, OortAgentQuery.PORT), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @ParameterizedTest
    @MethodSource("shells")
    void with_nothing_on_port_2005_the_fallback_reports_the_connection_refused(List<String> shell) throws Exception {
        // GIVEN this machine as the payload, with nothing listening on 127.0.0.1:2005 (its OORT agent missing)
        assumeTrue(!somethingListensOn2005(), "something listens on 127.0.0.1:2005 of this machine");

        // WHEN the fallback script runs under a real shell
        OortAgentQuery.Fallback f = OortAgentQuery.Fallback.of(LocalShell.run(shell, OortAgentQuery.fallbackScript()));

        // THEN its output is whole, it used the first tool this machine has, and that tool could not connect
        assertThat(f.output().problem()).as("%s: %s", shell, f.output().exec()).isNull();
        assertThat(f.tools()).contains(f.tool());
        assertThat(f.tool()).isIn("curl", "python3", "bash");
        assertThat(f.exitStatus()).as("%s", f.output().exec().stderr()).contains(7);
        assertThat(f.connectionRefused()).isTrue();
        assertThat(f.answer()).isEmpty();
    }

    @Test
    void an_exit_status_line_without_the_calls_nonce_is_not_believed() {
        // GIVEN a fallback run whose stderr holds an exit line with another nonce (forged by whatever shares stderr)
        String nonce = RemoteScript.newNonce();
        String forged = "0123456789abcdef0123456789abcdef:exit:0\n";
        ExecResult exec = new ExecResult(1, "script", 0, null, "", forged, false, false, Duration.ZERO, Duration.ZERO,
                false);
        RemoteScript.Output out = new RemoteScript.Output("test", nonce, exec,
                OortAgentQuery.fallbackScript().parse("", nonce));

        // WHEN it is read
        OortAgentQuery.Fallback f = OortAgentQuery.Fallback.of(out);

        // THEN no exit status is taken from it
        assertThat(f.exitStatus()).isEmpty();
        assertThat(f.connectionRefused()).isFalse();
        assertThat(f.timedOut()).isFalse();
    }
}
