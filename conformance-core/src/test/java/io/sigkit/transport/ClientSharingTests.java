package io.sigkit.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.sshd.client.SshClient;
import org.junit.jupiter.api.Test;

/** Connections whose settings configure a MINA client alike share one; the last to close stops it. */
class ClientSharingTests {
    /** An environment naming an agent socket: the client is set up without reaching it. */
    private static final Map<String, String> AGENT = Map.of("SSH_AUTH_SOCK", "/nonexistent/agent.sock");


    private static ConnectionSettings settings(String host, Duration keepalive) {
        return ConnectionSettings.builder(new SshTarget("sigapi", host, 22)).useAgent(true).keepalive(keepalive, 3).build();
    }

    @Test
    void connections_to_different_payloads_alike_share_one_client_until_the_last_gives_it_back() {
        // GIVEN two payloads' settings that differ only in the address
        ConnectionSettings a = settings("192.0.2.1", Duration.ofSeconds(5));
        ConnectionSettings b = settings("192.0.2.2", Duration.ofSeconds(5));
        // WHEN a client is acquired for each
        SshClient first = ClientFactory.acquire(a, AGENT);
        SshClient second = ClientFactory.acquire(b, AGENT);
        try {
            // THEN it is the same started client
            assertThat(second).isSameAs(first);
            assertThat(first.isStarted()).isTrue();
            // AND giving one back leaves it running for the other
            ClientFactory.release(first);
            assertThat(second.isStarted()).isTrue();
        } finally {
            ClientFactory.release(second);
        }
        // AND the last one stops it
        assertThat(first.isStarted()).isFalse();
    }

    @Test
    void settings_that_configure_the_client_differently_get_their_own() {
        // GIVEN two settings with different keepalives (a client-wide MINA setting)
        SshClient five = ClientFactory.acquire(settings("192.0.2.1", Duration.ofSeconds(5)), AGENT);
        SshClient nine = ClientFactory.acquire(settings("192.0.2.1", Duration.ofSeconds(9)), AGENT);
        try {
            // THEN each has its own client
            assertThat(nine).isNotSameAs(five);
        } finally {
            ClientFactory.release(five);
            ClientFactory.release(nine);
        }
        assertThat(five.isStarted()).isFalse();
        assertThat(nine.isStarted()).isFalse();
    }
}
