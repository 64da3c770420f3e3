package io.sigkit.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionSettingsTests {

    private static final SshTarget TARGET = SshTarget.parse("sigapi@127.0.0.1:2201");

    @TempDir
    Path dir;

    @Test
    void defaults_are_strict_ten_seconds_thirty_seconds_and_one_mebibyte() {
        // WHEN
        ConnectionSettings s = ConnectionSettings.builder(TARGET).identity(Path.of("/k")).build();
        // THEN
        assertThat(s.hostKeyPolicy()).isEqualTo(HostKeyPolicy.STRICT);
        assertThat(s.knownHosts()).isEqualTo(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.authTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.defaultCallTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.outputCap()).isEqualTo(1024 * 1024);
        assertThat(s.sshConfig()).isEmpty();
        assertThat(s.route().jumps()).isEmpty();
        assertThat(s.useAgent()).isFalse();
        assertThat(s.password()).isEmpty();
        assertThat(s.passphrase()).isEmpty();
    }

    @Test
    void requires_a_credential() {
        assertThatThrownBy(() -> ConnectionSettings.builder(TARGET).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no credentials for ssh://sigapi@127.0.0.1:2201: give an identity file, ssh-agent or a password");
        assertThat(ConnectionSettings.builder(TARGET).useAgent(true).build().useAgent()).isTrue();
        assertThat(ConnectionSettings.builder(TARGET).password(SecretSource.environment("PW")).build().password()).isPresent();
    }

    @Test
    void rejects_non_positive_timeouts_and_caps() {
        ConnectionSettings.Builder b = ConnectionSettings.builder(TARGET).identity(Path.of("/k"));
        assertThatThrownBy(() -> b.connectTimeout(Duration.ZERO).build()).hasMessageContaining("connectTimeout");
        b.connectTimeout(Duration.ofSeconds(1));
        assertThatThrownBy(() -> b.defaultCallTimeout(Duration.ofSeconds(-1)).build()).hasMessageContaining("defaultCallTimeout");
        b.defaultCallTimeout(Duration.ofSeconds(1));
        assertThatThrownBy(() -> b.outputCap(0).build()).hasMessageContaining("outputCap");
    }

    @Test
    void identities_are_an_immutable_copy() {
        ConnectionSettings s = ConnectionSettings.builder(TARGET).identity(Path.of("/a")).identity(Path.of("/b")).build();
        assertThat(s.identities()).containsExactly(Path.of("/a"), Path.of("/b"));
        assertThatThrownBy(() -> s.identities().add(Path.of("/c"))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void secret_sources_describe_where_not_what() {
        // GIVEN
        Path file = ClientKeyTestCase.write(dir.resolve("pw"), "hunter2\r\n");
        SecretSource env = SecretSource.environment("SIGKIT_PW");
        SecretSource inFile = SecretSource.file(file);
        // THEN
        assertThat(env.toString()).isEqualTo("environment variable SIGKIT_PW");
        assertThat(inFile.toString()).isEqualTo("file " + file);
        assertThat(env.read(Map.of("SIGKIT_PW", "x y"), TransportException.Kind.AUTH_FAILED, "password")).isEqualTo("x y");
        assertThat(inFile.read(Map.of(), TransportException.Kind.AUTH_FAILED, "password")).isEqualTo("hunter2");
        assertThatThrownBy(() -> SecretSource.environment("1BAD")).hasMessageContaining("'1BAD'");
        assertThatThrownBy(() -> SecretSource.file(dir.resolve("none")).read(Map.of(), TransportException.Kind.KEY_FILE,
                "passphrase")).hasMessage("cannot read the passphrase from file " + dir.resolve("none") + ": no such file");
        assertThatThrownBy(() -> env.read(Map.of("SIGKIT_PW", ""), TransportException.Kind.AUTH_FAILED, "password"))
                .hasMessage("the password in environment variable SIGKIT_PW is empty");
    }

    @Test
    void exec_requests_copy_their_stdin_and_validate() {
        byte[] in = {1, 2};
        ExecRequest r = ExecRequest.of("cat").withStdin(in).withPurpose("p").withTimeout(Duration.ofSeconds(3));
        in[0] = 9;
        assertThat(r.stdin()).containsExactly(1, 2);
        assertThat(r).isEqualTo(ExecRequest.of("cat").withStdin(new byte[] {1, 2}).withPurpose("p")
                .withTimeout(Duration.ofSeconds(3)));
        assertThatThrownBy(() -> ExecRequest.of(" ")).hasMessage("empty command");
        assertThatThrownBy(() -> ExecRequest.of("x").withTimeout(Duration.ZERO)).hasMessageContaining("timeout");
    }

    @Test
    void exec_results_are_consistent() {
        assertThatThrownBy(() -> new ExecResult(1, "x", null, null, "", "", false, false, null, Duration.ZERO, true))
                .hasMessageContaining("timed-out");
        assertThatThrownBy(() -> new ExecResult(1, "x", 0, null, "", "", false, false, Duration.ZERO, null, false))
                .hasMessageContaining("close time");
        ExecResult ok = new ExecResult(1, "x", 0, null, "", " a\nlong tail ", false, false, Duration.ZERO, Duration.ZERO, false);
        assertThat(ok.succeeded()).isTrue();
        assertThat(ok.stderrTail(4)).isEqualTo("…tail");
    }

    @Test
    void transport_exception_messages_are_one_line() {
        TransportException e = new TransportException(TransportException.Kind.IO, "first\nsecond\r\n  third\n");
        assertThat(e.getMessage()).isEqualTo("first; second; third");
    }
}
