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
    void strictAcceptsAKnownKey() {
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
    void strictIsTheDefault() {
        assertThat(ConnectionSettings.builder(server.target("sigapi")).identity(key).build().hostKeyPolicy())
                .isEqualTo(HostKeyPolicy.STRICT);
    }

    @Test
    void strictRejectsAnUnknownKeyWithTheFingerprintAndHowToTrustIt() {
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
    void strictRejectsWhenTheKnownHostsFileIsMissing() {
        // WHEN / THEN
        assertThatThrownBy(() -> PayloadConnection.open(settings().build()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.HOST_KEY_UNKNOWN);
                    assertThat(e.getMessage()).contains("the file does not exist").contains(server.fingerprint());
                });
        assertThat(knownHosts).doesNotExist();
    }

    @Test
    void strictRejectsAChangedKey() {
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
    void acceptNewStillRejectsAChangedKey() {
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
    void acceptNewWritesTheKeyThenAcceptsIt() {
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
    void acceptNewAppendsToAnExistingFileWithoutATrailingNewline() {
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
    void ignoreAcceptsAnyKeyAndWritesNothing() {
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
    void acceptsHashedKnownHostsEntriesAsSshKeygenWritesThem() {
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
    void prefersTheHostKeyTypeOnFileWhenTheServerHasSeveral() throws IOException {
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
    void rejectsARevokedKey() {
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
    void skipsMalformedLinesAsOpenSshDoes() {
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
