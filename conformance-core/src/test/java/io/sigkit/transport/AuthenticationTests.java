package io.sigkit.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Credentials: key files in every format users have, passphrases without prompts, agent and password when asked. */
class AuthenticationTests {

    @TempDir
    Path dir;

    private InProcessServerTestCase server;
    private Path knownHosts;

    @BeforeEach
    void startServer() {
        server = InProcessServerTestCase.start();
        knownHosts = ClientKeyTestCase.write(dir.resolve("known_hosts"), server.knownHostsLines());
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    private ConnectionSettings.Builder settings() {
        return ConnectionSettings.builder(server.target("sigapi")).knownHosts(knownHosts);
    }

    @ParameterizedTest(name = "{0} key, PEM={1}, passphrase=''{2}''")
    @CsvSource({
        "ed25519, false, ''",
        "ecdsa, false, ''",
        "rsa, false, ''",
        "ecdsa, true, ''",
        "rsa, true, ''",
        "ed25519, false, s3cret phrase",
        "ecdsa, true, s3cret phrase",
        "rsa, true, s3cret phrase",
        "rsa, false, s3cret phrase"})
    void authenticatesWithKeyFilesOfEveryFormat(String type, boolean pem, String passphrase) {
        // GIVEN
        Path key = ClientKeyTestCase.generate(dir, "id_" + type + (pem ? "_pem" : ""), type, pem, passphrase);
        server.authorize(ClientKeyTestCase.publicKey(key));
        ConnectionSettings.Builder b = settings().identity(key);
        if (!passphrase.isEmpty()) {
            b.passphrase(SecretSource.file(ClientKeyTestCase.write(dir.resolve("passphrase"), passphrase + "\n")));
        }
        // WHEN
        try (PayloadConnection c = PayloadConnection.open(b.build())) {
            // THEN
            assertThat(c.serverIdentity().authMethod()).isEqualTo("publickey");
            assertThat(c.exec("echo in", Duration.ofSeconds(5)).stdout()).isEqualTo("in\n");
        }
    }

    @Test
    void reads_the_passphrase_from_an_environment_variable() {
        // GIVEN
        Path key = ClientKeyTestCase.generate(dir, "id_enc", "ed25519", false, "from env");
        server.authorize(ClientKeyTestCase.publicKey(key));
        ConnectionSettings s = settings().identity(key).passphrase(SecretSource.environment("SIGKIT_KEY_PASSPHRASE")).build();
        // WHEN
        try (PayloadConnection c = PayloadConnection.open(s, Map.of("SIGKIT_KEY_PASSPHRASE", "from env"))) {
            // THEN
            assertThat(c.serverIdentity().authMethod()).isEqualTo("publickey");
        }
    }

    @Test
    void an_encrypted_key_without_passphrase_fails_without_prompting() {
        // GIVEN
        Path key = ClientKeyTestCase.generate(dir, "id_enc", "ed25519", false, "secret");
        // WHEN / THEN
        assertThatThrownBy(() -> PayloadConnection.open(settings().identity(key).build(), Map.of()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.KEY_FILE);
                    assertThat(e.getMessage()).isEqualTo("identity file " + key + " is encrypted: give its passphrase"
                            + " with --passphrase-env VAR or --passphrase-file FILE (sigkit never prompts)");
                });
    }

    @Test
    void a_wrong_passphrase_names_the_file_and_the_source_but_not_the_secret() {
        // GIVEN
        Path key = ClientKeyTestCase.generate(dir, "id_enc", "ecdsa", false, "right");
        ConnectionSettings s = settings().identity(key).passphrase(SecretSource.environment("PW")).build();
        // WHEN / THEN
        assertThatThrownBy(() -> PayloadConnection.open(s, Map.of("PW", "wrong-one")))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.KEY_FILE);
                    assertThat(e.getMessage()).startsWith("cannot decrypt identity file " + key
                            + " with the passphrase from environment variable PW").doesNotContain("wrong-one");
                });
    }

    @Test
    void an_unset_passphrase_variable_is_named() {
        // GIVEN
        Path key = ClientKeyTestCase.generate(dir, "id_enc", "ed25519", false, "x");
        ConnectionSettings s = settings().identity(key).passphrase(SecretSource.environment("NOT_SET_HERE")).build();
        // WHEN / THEN
        assertThatThrownBy(() -> PayloadConnection.open(s, Map.of()))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("the passphrase for " + key + " environment variable NOT_SET_HERE is not set"));
    }

    @Test
    void a_missing_or_public_key_file_is_named() {
        // GIVEN
        Path missing = dir.resolve("no_such_key");
        Path key = ClientKeyTestCase.ed25519(dir);
        // WHEN / THEN
        assertThatThrownBy(() -> PayloadConnection.open(settings().identity(missing).build()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.KEY_FILE);
                    assertThat(e.getMessage()).isEqualTo("cannot read identity file " + missing + ": no such file");
                });
        assertThatThrownBy(() -> PayloadConnection.open(settings().identity(ClientKeyTestCase.publicKey(key)).build()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.KEY_FILE);
                    assertThat(e.getMessage()).contains(ClientKeyTestCase.publicKey(key).toString()).contains("not the .pub");
                });
    }

    @Test
    void a_refused_key_names_the_user_host_and_key_tried() {
        // GIVEN a key the server does not accept
        Path key = ClientKeyTestCase.ed25519(dir);
        // WHEN / THEN
        long start = System.nanoTime();
        assertThatThrownBy(() -> PayloadConnection.open(settings().identity(key).build()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.AUTH_FAILED);
                    assertThat(e.getMessage()).startsWith("authentication refused by the payload sigapi@127.0.0.1:"
                            + server.port() + " for user sigapi (--target): tried publickey with " + key + " (--identity)")
                            .contains("the server accepts").doesNotContain("\n");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void password_only_when_asked() {
        // GIVEN a server that accepts a password, and a client key it does not accept
        server.acceptPassword("pa55word");
        Path key = ClientKeyTestCase.ed25519(dir);
        Path secret = ClientKeyTestCase.write(dir.resolve("pw"), "pa55word\n");
        // WHEN no password is configured THEN no password is tried
        assertThatThrownBy(() -> PayloadConnection.open(settings().identity(key).build()))
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.kind())
                        .isEqualTo(TransportException.Kind.AUTH_FAILED));
        // WHEN a password is configured THEN it authenticates with it
        try (PayloadConnection c = PayloadConnection.open(settings().identity(key).password(SecretSource.file(secret)).build())) {
            assertThat(c.serverIdentity().authMethod()).isEqualTo("password");
        }
    }

    @Test
    void a_wrong_password_names_its_source() {
        // GIVEN
        server.acceptPassword("right");
        ConnectionSettings s = settings().password(SecretSource.environment("SIGKIT_PASSWORD")).build();
        // WHEN / THEN
        assertThatThrownBy(() -> PayloadConnection.open(s, Map.of("SIGKIT_PASSWORD", "wrong")))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.AUTH_FAILED);
                    assertThat(e.getMessage()).contains("tried password from environment variable SIGKIT_PASSWORD")
                            .doesNotContain("wrong");
                });
    }

    @Test
    void uses_the_ssh_agent_only_when_asked() throws Exception {
        // GIVEN a real ssh-agent holding a key the server accepts
        Path key = ClientKeyTestCase.ed25519(dir);
        server.authorize(ClientKeyTestCase.publicKey(key));
        Path socket = dir.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 100 && !socket.toFile().exists(); i++) {
                Thread.sleep(20);
            }
            ProcessBuilder add = new ProcessBuilder("ssh-add", key.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            Process added = add.start();
            assertThat(added.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(added.exitValue()).as("ssh-add").isZero();
            Map<String, String> env = Map.of("SSH_AUTH_SOCK", socket.toString());
            // WHEN
            ConnectionSettings s = settings().useAgent(true).build();
            try (PayloadConnection c = PayloadConnection.open(s, env)) {
                // THEN
                assertThat(c.serverIdentity().authMethod()).isEqualTo("publickey");
                assertThat(c.exec("echo agent", Duration.ofSeconds(5)).stdout()).isEqualTo("agent\n");
            }
        } finally {
            agent.destroy();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void identities_only_keeps_agent_keys_that_do_not_match_the_configs_identity_files() throws Exception {
        // GIVEN an agent holding the only key the server accepts, and a config naming another key file
        Path agentKey = ClientKeyTestCase.ed25519(dir);
        server.authorize(ClientKeyTestCase.publicKey(agentKey));
        Path other = ClientKeyTestCase.generate(dir, "other", "ed25519", false, "");
        Path socket = dir.resolve("agent-io.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString()).redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 100 && !socket.toFile().exists(); i++) {
                Thread.sleep(20);
            }
            ProcessBuilder add = new ProcessBuilder("ssh-add", agentKey.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            add.environment().put("SSH_AUTH_SOCK", socket.toString());
            assertThat(add.start().waitFor()).as("ssh-add").isZero();
            Map<String, String> env = Map.of("SSH_AUTH_SOCK", socket.toString());
            String block = "Host srv\n  HostName 127.0.0.1\n  Port " + server.port() + "\n  User sigapi\n"
                    + "  IdentityFile " + other + "\n";
            Path only = ClientKeyTestCase.write(dir.resolve("config-only"), block + "  IdentitiesOnly yes\n");
            Path all = ClientKeyTestCase.write(dir.resolve("config-all"), block);
            // WHEN IdentitiesOnly yes THEN the agent's key is not offered, and the message says why
            assertThatThrownBy(() -> PayloadConnection.open(ConnectionSettings.builder(SshDestination.parse("srv"))
                    .sshConfig(only).useAgent(true).knownHosts(knownHosts).build(), env))
                    .isInstanceOfSatisfying(TransportException.class, e -> {
                        assertThat(e.kind()).isEqualTo(TransportException.Kind.AUTH_FAILED);
                        assertThat(e.getMessage()).contains(other + " (ssh config " + only + ":5)")
                                .contains("that match those files (IdentitiesOnly) (--agent)");
                    });
            // WHEN not THEN the agent's key logs in, as with ssh
            try (PayloadConnection c = PayloadConnection.open(ConnectionSettings.builder(SshDestination.parse("srv"))
                    .sshConfig(all).useAgent(true).knownHosts(knownHosts).build(), env)) {
                assertThat(c.serverIdentity().authMethod()).isEqualTo("publickey");
            }
        } finally {
            agent.destroy();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void an_agent_requested_without_socket_fails_clearly() {
        assertThatThrownBy(() -> PayloadConnection.open(settings().useAgent(true).build(), Map.of()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.AUTH_FAILED);
                    assertThat(e.getMessage()).contains("SSH_AUTH_SOCK is not set");
                });
    }

    @Test
    void connects_through_a_jump_host_checking_both_host_keys() throws IOException {
        // GIVEN a bastion that forwards, and the payload behind it; both keys in the same known_hosts
        Path key = ClientKeyTestCase.ed25519(dir);
        server.authorize(ClientKeyTestCase.publicKey(key));
        try (InProcessServerTestCase bastion = InProcessServerTestCase.startBastion()) {
            bastion.authorize(ClientKeyTestCase.publicKey(key));
            ClientKeyTestCase.write(knownHosts, server.knownHostsLines() + bastion.knownHostsLines());
            ConnectionSettings s = settings().identity(key).jumpHost(bastion.target("bastion")).build();
            // WHEN
            try (PayloadConnection c = PayloadConnection.open(s)) {
                // THEN the session is the payload's, reached through the bastion
                assertThat(c.serverIdentity().hostKeyFingerprint()).isEqualTo(server.fingerprint());
                assertThat(c.serverIdentity().address()).isEqualTo("127.0.0.1:" + server.port());
                assertThat(c.exec("echo behind", Duration.ofSeconds(5)).stdout()).isEqualTo("behind\n");
                c.reconnect();
                assertThat(c.exec("echo again", Duration.ofSeconds(5)).session()).isEqualTo(2);
            }
            assertThat(bastion.commands()).isEmpty();
            assertThat(server.commands()).containsExactly("echo behind", "echo again");

            // WHEN the bastion's key is not on file THEN the failure names the bastion
            ClientKeyTestCase.write(knownHosts, server.knownHostsLines());
            assertThatThrownBy(() -> PayloadConnection.open(s))
                    .isInstanceOfSatisfying(TransportException.class, e -> {
                        assertThat(e.kind()).isEqualTo(TransportException.Kind.HOST_KEY_UNKNOWN);
                        assertThat(e.getMessage()).startsWith("host key of 127.0.0.1:" + bastion.port()
                                + " (bastion bastion@127.0.0.1:" + bastion.port() + ") is not in");
                    });

            // WHEN the bastion refuses the key THEN the failure names the bastion
            ClientKeyTestCase.write(knownHosts, server.knownHostsLines() + bastion.knownHostsLines());
            Path other = ClientKeyTestCase.generate(dir, "other", "ed25519", false, "");
            server.authorize(ClientKeyTestCase.publicKey(other));
            assertThatThrownBy(() -> PayloadConnection.open(settings().identity(other).jumpHost(bastion.target("bastion"))
                    .build()))
                    .isInstanceOfSatisfying(TransportException.class, e -> {
                        assertThat(e.kind()).isEqualTo(TransportException.Kind.AUTH_FAILED);
                        assertThat(e.getMessage()).startsWith("authentication refused by bastion bastion@127.0.0.1:"
                                + bastion.port() + " for user bastion (--jump)");
                    });

            // WHEN the payload refuses the key THEN the failure names the payload
            bastion.authorize(ClientKeyTestCase.publicKey(other));
            Path third = ClientKeyTestCase.generate(dir, "third", "ed25519", false, "");
            bastion.authorize(ClientKeyTestCase.publicKey(third));
            assertThatThrownBy(() -> PayloadConnection.open(settings().identity(third).jumpHost(bastion.target("bastion"))
                    .build()))
                    .isInstanceOfSatisfying(TransportException.class, e -> {
                        assertThat(e.kind()).isEqualTo(TransportException.Kind.AUTH_FAILED);
                        assertThat(e.getMessage()).startsWith("authentication refused by the payload sigapi@127.0.0.1:"
                                + server.port());
                    });

            // WHEN the bastion cannot reach the payload THEN the failure says so
            SshTarget closed = new SshTarget("sigapi", "127.0.0.1", freePort());
            assertThatThrownBy(() -> PayloadConnection.open(ConnectionSettings.builder(closed).identity(key)
                    .knownHosts(knownHosts).jumpHost(bastion.target("bastion")).build()))
                    .isInstanceOfSatisfying(TransportException.class, e -> {
                        assertThat(e.getMessage()).startsWith("cannot reach the payload " + closed.login() + " through bastion bastion@127.0.0.1:"
                                + bastion.port() + ": the bastion could not connect to " + closed.address());
                        assertThat(e.kind()).isEqualTo(TransportException.Kind.UNREACHABLE);
                    });

            // WHEN the payload's key is not on file THEN the failure names the payload
            ClientKeyTestCase.write(knownHosts, bastion.knownHostsLines());
            assertThatThrownBy(() -> PayloadConnection.open(s))
                    .isInstanceOfSatisfying(TransportException.class, e -> {
                        assertThat(e.kind()).isEqualTo(TransportException.Kind.HOST_KEY_UNKNOWN);
                        assertThat(e.getMessage()).startsWith("host key of 127.0.0.1:" + server.port() + " (the payload ");
                    });
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void reads_an_ssh_config_file_only_when_given() {
        // GIVEN a config that maps an alias to the server, with its user, port and key
        Path key = ClientKeyTestCase.ed25519(dir);
        server.authorize(ClientKeyTestCase.publicKey(key));
        Path config = ClientKeyTestCase.write(dir.resolve("config"), String.join("\n", List.of(
                "Host payload-alias",
                "  HostName 127.0.0.1",
                "  Port " + server.port(),
                "  IdentityFile " + key,
                "")));
        ConnectionSettings viaConfig = ConnectionSettings.builder(SshDestination.parse("sigapi@payload-alias"))
                .knownHosts(knownHosts).sshConfig(config).build();
        // WHEN
        try (PayloadConnection c = PayloadConnection.open(viaConfig)) {
            // THEN
            assertThat(c.serverIdentity().address()).isEqualTo("127.0.0.1:" + server.port());
        }
        // and the host key is checked for the host the config names
        ConnectionSettings unknownKey = ConnectionSettings.builder(SshDestination.parse("sigapi@payload-alias"))
                .knownHosts(dir.resolve("empty_known_hosts")).sshConfig(config).build();
        assertThatThrownBy(() -> PayloadConnection.open(unknownKey))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.HOST_KEY_UNKNOWN);
                    assertThat(e.getMessage()).startsWith("host key of 127.0.0.1:" + server.port() + " (the payload ");
                });
        // and without the config the alias means nothing
        ConnectionSettings without = ConnectionSettings.builder(new SshTarget("sigapi", "payload-alias", 22))
                .identity(key).knownHosts(knownHosts).connectTimeout(Duration.ofSeconds(3)).build();
        assertThatThrownBy(() -> PayloadConnection.open(without))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.UNREACHABLE);
                    assertThat(e.getMessage()).contains("payload-alias");
                });
    }
}
