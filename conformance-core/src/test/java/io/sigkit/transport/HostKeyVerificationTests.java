package io.sigkit.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host keys are checked against known_hosts: strictly by default, trust-on-first-use or not at all only when asked. */
class HostKeyVerificationTests {

    @TempDir
    Path dir;

    private InProcessServerTestCase server;
    private Path key;
    private Path knownHosts;

    @BeforeEach
    void startServer() {
        server = InProcessServerTestCase.start();
        key = ClientKeyTestCase.ed25519(dir);
        server.authorize(ClientKeyTestCase.publicKey(key));
        knownHosts = dir.resolve("known_hosts");
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    private ConnectionSettings.Builder settings() {
        return ConnectionSettings.builder(server.target("sigapi")).identity(key).knownHosts(knownHosts);
    }

    @Test
    void strict_accepts_a_known_key() {
        // GIVEN
        ClientKeyTestCase.write(knownHosts, server.knownHostsLines());
        // WHEN
        try (PayloadConnection c = PayloadConnection.open(settings().build())) {
            // THEN
            ServerIdentity id = c.serverIdentity();
            assertThat(id.policy()).isEqualTo(HostKeyPolicy.STRICT);
            assertThat(id.hostKeyFingerprint()).isEqualTo(server.fingerprint()).startsWith("SHA256:");
            assertThat(id.hostKeyType()).isEqualTo("ssh-ed25519");
            assertThat(id.hostKeyNewlyTrusted()).isFalse();
            assertThat(id.address()).isEqualTo("127.0.0.1:" + server.port());
            assertThat(id.serverVersion()).startsWith("SSH-2.0-");
            assertThat(id.authMethod()).isEqualTo("publickey");
            assertThat(id.handshake()).isPositive();
            assertThat(c.exec("echo ok", Duration.ofSeconds(5)).stdout()).isEqualTo("ok\n");
        }
    }

    @Test
    void strict_is_the_default() {
        assertThat(ConnectionSettings.builder(server.target("sigapi")).identity(key).build().hostKeyPolicy())
                .isEqualTo(HostKeyPolicy.STRICT);
    }

    @Test
    void strict_rejects_an_unknown_key_with_the_fingerprint_and_how_to_trust_it() {
        // GIVEN a known_hosts file that lists another host only
        ClientKeyTestCase.write(knownHosts, "[127.0.0.1]:1 " + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(
                InProcessServerTestCase.generate(KeyPairProvider.SSH_ED25519, 256).getPublic()) + "\n");
        // WHEN / THEN
        assertThatThrownBy(() -> PayloadConnection.open(settings().build()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.HOST_KEY_UNKNOWN);
                    assertThat(e.getMessage())
                            .startsWith("host key of 127.0.0.1:" + server.port() + " (the payload sigapi@127.0.0.1:" + server.port()
                                    + ") is not in " + knownHosts)
                            .contains("ssh-ed25519 " + server.fingerprint())
                            .contains("ssh-keyscan -p " + server.port() + " 127.0.0.1 >> " + knownHosts)
                            .contains("--accept-new-host-key")
                            .doesNotContain("\n");
                });
        assertThat(server.commands()).isEmpty();
    }

    @Test
    void strict_rejects_when_the_known_hosts_file_is_missing() {
        // WHEN / THEN
        assertThatThrownBy(() -> PayloadConnection.open(settings().build()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.HOST_KEY_UNKNOWN);
                    assertThat(e.getMessage()).contains("the file does not exist").contains(server.fingerprint());
                });
        assertThat(knownHosts).doesNotExist();
    }

    @Test
    void strict_rejects_a_changed_key() {
        // GIVEN known_hosts lists another ed25519 key for this host and port
        String old = server.knownHostsLine(InProcessServerTestCase.generate(KeyPairProvider.SSH_ED25519, 256).getPublic());
        ClientKeyTestCase.write(knownHosts, old + "\n");
        // WHEN / THEN
        assertThatThrownBy(() -> PayloadConnection.open(settings().build()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.HOST_KEY_CHANGED);
                    assertThat(e.getMessage())
                            .startsWith("host key of 127.0.0.1:" + server.port() + " (the payload sigapi@127.0.0.1:" + server.port()
                                    + ") has CHANGED")
                            .contains("if the payload was re-installed")
                            .contains(server.fingerprint())
                            .contains("ssh-keygen -R [127.0.0.1]:" + server.port() + " -f " + knownHosts);
                });
    }

    @Test
    void accept_new_still_rejects_a_changed_key() {
        // GIVEN
        String old = server.knownHostsLine(InProcessServerTestCase.generate(KeyPairProvider.SSH_ED25519, 256).getPublic());
        ClientKeyTestCase.write(knownHosts, old + "\n");
        // WHEN / THEN
        assertThatThrownBy(() -> PayloadConnection.open(settings().hostKeyPolicy(HostKeyPolicy.ACCEPT_NEW).build()))
                .isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.kind()).isEqualTo(TransportException.Kind.HOST_KEY_CHANGED));
        assertThat(readKnownHosts()).isEqualTo(old + "\n");
    }

    @Test
    void accept_new_writes_the_key_then_accepts_it() {
        // GIVEN no known_hosts file in a directory that does not exist yet
        knownHosts = dir.resolve("fresh/.ssh/known_hosts");
        // WHEN
        try (PayloadConnection c = PayloadConnection.open(settings().hostKeyPolicy(HostKeyPolicy.ACCEPT_NEW).build())) {
            // THEN
            assertThat(c.serverIdentity().hostKeyNewlyTrusted()).isTrue();
            assertThat(c.serverIdentity().policy()).isEqualTo(HostKeyPolicy.ACCEPT_NEW);
        }
        assertThat(readKnownHosts()).isEqualTo(server.knownHostsLines());
        // and the next connection, even a strict one, trusts it without writing again
        try (PayloadConnection c = PayloadConnection.open(settings().build())) {
            assertThat(c.serverIdentity().hostKeyNewlyTrusted()).isFalse();
        }
        try (PayloadConnection c = PayloadConnection.open(settings().hostKeyPolicy(HostKeyPolicy.ACCEPT_NEW).build())) {
            assertThat(c.serverIdentity().hostKeyNewlyTrusted()).isFalse();
        }
        assertThat(readKnownHosts()).isEqualTo(server.knownHostsLines());
    }

    @Test
    void accept_new_appends_to_an_existing_file_without_a_trailing_newline() {
        // GIVEN
        ClientKeyTestCase.write(knownHosts, "# my hosts");
        // WHEN
        try (PayloadConnection c = PayloadConnection.open(settings().hostKeyPolicy(HostKeyPolicy.ACCEPT_NEW).build())) {
            assertThat(c.serverIdentity().hostKeyNewlyTrusted()).isTrue();
        }
        // THEN
        assertThat(readKnownHosts()).isEqualTo("# my hosts\n" + server.knownHostsLines());
    }

    @Test
    void ignore_accepts_any_key_and_writes_nothing() {
        // GIVEN a changed key on file
        String old = server.knownHostsLine(InProcessServerTestCase.generate(KeyPairProvider.SSH_ED25519, 256).getPublic());
        ClientKeyTestCase.write(knownHosts, old + "\n");
        // WHEN
        try (PayloadConnection c = PayloadConnection.open(settings().hostKeyPolicy(HostKeyPolicy.IGNORE).build())) {
            // THEN
            assertThat(c.serverIdentity().policy()).isEqualTo(HostKeyPolicy.IGNORE);
            assertThat(c.serverIdentity().hostKeyFingerprint()).isEqualTo(server.fingerprint());
            assertThat(c.serverIdentity().hostKeyNewlyTrusted()).isFalse();
        }
        assertThat(readKnownHosts()).isEqualTo(old + "\n");
    }

    @Test
    void accepts_hashed_known_hosts_entries_as_ssh_keygen_writes_them() {
        // GIVEN the file hashed by ssh-keygen -H
        ClientKeyTestCase.write(knownHosts, server.knownHostsLines());
        ClientKeyTestCase.run(List.of("ssh-keygen", "-H", "-f", knownHosts.toString()));
        assertThat(readKnownHosts()).startsWith("|1|");
        // WHEN
        try (PayloadConnection c = PayloadConnection.open(settings().build())) {
            // THEN
            assertThat(c.serverIdentity().hostKeyFingerprint()).isEqualTo(server.fingerprint());
        }
    }

    @Test
    void prefers_the_host_key_type_on_file_when_the_server_has_several() throws IOException {
        // GIVEN a server with an ECDSA and an ed25519 host key, and only its ed25519 key on file
        server.close();
        server = InProcessServerTestCase.start(true, false, List.of(
                InProcessServerTestCase.generate(KeyPairProvider.ECDSA_SHA2_NISTP256, 256),
                InProcessServerTestCase.generate(KeyPairProvider.SSH_ED25519, 256)));
        server.authorize(ClientKeyTestCase.publicKey(key));
        ClientKeyTestCase.write(knownHosts, server.knownHostsLine(server.hostKeys().get(1).getPublic()) + "\n");
        // WHEN
        try (PayloadConnection c = PayloadConnection.open(settings().build())) {
            // THEN
            assertThat(c.serverIdentity().hostKeyType()).isEqualTo("ssh-ed25519");
        }
        // and with only its ECDSA key on file, ECDSA is negotiated
        ClientKeyTestCase.write(knownHosts, server.knownHostsLine(server.hostKeys().get(0).getPublic()) + "\n");
        try (PayloadConnection c = PayloadConnection.open(settings().build())) {
            assertThat(c.serverIdentity().hostKeyType()).isEqualTo("ecdsa-sha2-nistp256");
        }
    }

    @Test
    void rejects_a_revoked_key() {
        // GIVEN
        ClientKeyTestCase.write(knownHosts, "@revoked " + server.knownHostsLines());
        // WHEN / THEN
        assertThatThrownBy(() -> PayloadConnection.open(settings().hostKeyPolicy(HostKeyPolicy.ACCEPT_NEW).build()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.HOST_KEY_CHANGED);
                    assertThat(e.getMessage()).contains("@revoked");
                });
    }

    @Test
    void skips_malformed_lines_as_openssh_does() {
        // GIVEN a known_hosts with junk around the right entry
        ClientKeyTestCase.write(knownHosts, "garbage\n[127.0.0.1]:1 ssh-ed25519 not-base64!\n\n" + server.knownHostsLines());
        // WHEN
        try (PayloadConnection c = PayloadConnection.open(settings().build())) {
            // THEN
            assertThat(c.serverIdentity().hostKeyFingerprint()).isEqualTo(server.fingerprint());
        }
    }

    private String readKnownHosts() {
        try {
            return Files.readString(knownHosts, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
