package io.sigkit.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.SshServerKind;
import io.sigkit.testbed.Testbed;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 15, each numbered case, against a real bastion (OpenSSH and Dropbear) in front of a real payload: a lab's
 * ssh_config and jump hosts work as {@code ssh} would, and every failure names the hop. The bastion shares the host's
 * network, so it reaches the payload at {@code 127.0.0.1:PORT} as a lab bastion reaches its flight model.
 */
@RequiresTestbed
class BastionOnTestbedTests {

    @TempDir
    Path dir;

    /** A bastion of the given kind and an OpenSSH payload, each with its own key and known_hosts. */
    private static final class Lab implements AutoCloseable {
        final RunningPayload bastion;
        final RunningPayload payload;

        Lab(SshServerKind bastionKind) {
            RunningPayload b = Testbed.start(PayloadSpec.reference().withServer(bastionKind).withoutSftp());
            try {
                payload = Testbed.start(PayloadSpec.reference());
            } catch (RuntimeException e) {
                b.close();
                throw e;
            }
            bastion = b;
        }

        @Override
        public void close() {
            try {
                payload.close();
            } finally {
                bastion.close();
            }
        }
    }

    /** The lab's ssh config: aliases 'payload' and 'bastion' with their HostName, Port, User and IdentityFile. */
    private Path config(Lab lab, String extra) throws IOException {
        return write("config", String.join("\n",
                "Host payload",
                "    HostName 127.0.0.1",
                "    Port " + lab.payload.port(),
                "    User " + lab.payload.user(),
                "    IdentityFile " + lab.payload.identity(),
                "Host bastion",
                "    HostName 127.0.0.1",
                "    Port " + lab.bastion.port(),
                "    User " + lab.bastion.user(),
                "    IdentityFile " + lab.bastion.identity(),
                extra, ""));
    }

    private Path bothKnown(Lab lab) throws IOException {
        return write("known_hosts", Files.readString(lab.bastion.knownHosts()) + Files.readString(lab.payload.knownHosts()));
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @ParameterizedTest(name = "bastion: {0}")
    @EnumSource(SshServerKind.class)
    void case_1_each_hop_key_is_checked_against_its_own_entry_and_accept_new_adds_each_hops_own(SshServerKind kind)
            throws IOException {
        try (Lab lab = new Lab(kind)) {
            Path config = config(lab, "");
            // GIVEN only the payload's key on file WHEN jumping through the bastion alias
            Path onlyPayload = write("kh-payload", Files.readString(lab.payload.knownHosts()));
            ConnectionSettings s = ConnectionSettings.builder(SshDestination.parse("payload")).sshConfig(config)
                    .jumps("bastion").knownHosts(onlyPayload).build();
            // THEN the bastion's key is unknown (not "CHANGED" against the payload's entry), and the message names it
            assertThatThrownBy(() -> PayloadConnection.open(s)).isInstanceOfSatisfying(TransportException.class, e -> {
                assertThat(e.kind()).isEqualTo(TransportException.Kind.HOST_KEY_UNKNOWN);
                assertThat(e.getMessage()).startsWith("host key of 127.0.0.1:" + lab.bastion.port() + " (bastion 'bastion' ("
                        + lab.bastion.user() + "@127.0.0.1:" + lab.bastion.port() + ")) is not in " + onlyPayload);
            });
            // WHEN accept-new against an empty file
            Path empty = dir.resolve("kh-new");
            ConnectionSettings tofu = ConnectionSettings.builder(SshDestination.parse("payload")).sshConfig(config)
                    .jumps("bastion").knownHosts(empty).hostKeyPolicy(HostKeyPolicy.ACCEPT_NEW).build();
            try (PayloadConnection c = PayloadConnection.open(tofu)) {
                assertThat(c.exec("echo behind", Duration.ofSeconds(10)).stdout()).isEqualTo("behind\n");
                assertThat(c.serverIdentity().hostKeyNewlyTrusted()).isTrue();
            }
            // THEN each hop's own entry was added, under its own port, with its own key (as its instance lists it)
            List<String> added = Files.readAllLines(empty);
            assertThat(added).hasSize(2);
            assertThat(added.get(0)).startsWith("[127.0.0.1]:" + lab.bastion.port() + " ");
            assertThat(added.get(1)).startsWith("[127.0.0.1]:" + lab.payload.port() + " ");
            assertThat(Files.readAllLines(lab.bastion.knownHosts())).contains(added.get(0));
            assertThat(Files.readAllLines(lab.payload.knownHosts())).contains(added.get(1));
            // and strict checking now passes on both hops
            try (PayloadConnection c = PayloadConnection.open(ConnectionSettings.builder(SshDestination.parse("payload"))
                    .sshConfig(config).jumps("bastion").knownHosts(empty).build())) {
                assertThat(c.serverIdentity().hostKeyNewlyTrusted()).isFalse();
            }
        }
    }

    @ParameterizedTest(name = "bastion: {0}")
    @EnumSource(SshServerKind.class)
    void case_1_hashed_known_hosts_entries_are_found_for_each_hop(SshServerKind kind) throws Exception {
        try (Lab lab = new Lab(kind)) {
            Path known = bothKnown(lab);
            Process hash = new ProcessBuilder("ssh-keygen", "-H", "-f", known.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(hash.waitFor()).isZero();
            assertThat(Files.readString(known)).doesNotContain("127.0.0.1");
            try (PayloadConnection c = PayloadConnection.open(ConnectionSettings.builder(SshDestination.parse("payload"))
                    .sshConfig(config(lab, "")).jumps("bastion").knownHosts(known).build())) {
                assertThat(c.exec("echo hashed", Duration.ofSeconds(10)).stdout()).isEqualTo("hashed\n");
            }
        }
    }

    @ParameterizedTest(name = "bastion: {0}")
    @EnumSource(SshServerKind.class)
    void cases_2_3_4_the_config_gives_the_bastions_port_the_targets_address_and_the_user(SshServerKind kind)
            throws IOException {
        try (Lab lab = new Lab(kind)) {
            // GIVEN --jump USER@ALIAS (case 2), an alias target (case 3) without a user (case 4)
            ConnectionSettings s = ConnectionSettings.builder(SshDestination.parse("ssh://payload")).sshConfig(config(lab, ""))
                    .jumps(lab.bastion.user() + "@bastion").knownHosts(bothKnown(lab)).build();
            // THEN the route uses the config's Port for the bastion and the payload's HostName, Port and User
            assertThat(s.route().jumps()).singleElement().satisfies(b -> assertThat(b.port()).isEqualTo(lab.bastion.port()));
            assertThat(s.target()).isEqualTo(new SshTarget(lab.payload.user(), "127.0.0.1", lab.payload.port()));
            // WHEN connecting THEN it works, and the identity is the payload's real address
            try (PayloadConnection c = PayloadConnection.open(s)) {
                assertThat(c.exec("id -un", Duration.ofSeconds(10)).stdout().strip()).isEqualTo(lab.payload.user());
                assertThat(c.serverIdentity().address()).isEqualTo("127.0.0.1:" + lab.payload.port());
                c.reconnect();
                assertThat(c.exec("echo again", Duration.ofSeconds(10)).session()).isEqualTo(2);
            }
        }
    }

    @ParameterizedTest(name = "bastion: {0}")
    @EnumSource(SshServerKind.class)
    void case_5_a_key_or_user_from_the_config_is_named_in_the_error(SshServerKind kind) throws IOException {
        try (Lab lab = new Lab(kind)) {
            // GIVEN a config whose payload entry names the bastion's key (which the payload refuses)
            Path config = write("config", String.join("\n",
                    "Host payload",
                    "    HostName 127.0.0.1",
                    "    Port " + lab.payload.port(),
                    "    User " + lab.payload.user(),
                    "    IdentityFile " + lab.bastion.identity(),
                    "    ProxyJump bastion",
                    "Host bastion",
                    "    HostName 127.0.0.1",
                    "    Port " + lab.bastion.port(),
                    "    User " + lab.bastion.user(),
                    "    IdentityFile " + lab.bastion.identity(), ""));
            ConnectionSettings s = ConnectionSettings.builder(SshDestination.parse("payload")).sshConfig(config)
                    .knownHosts(bothKnown(lab)).build();
            // THEN the refusal names the payload, the user and the key with the config line each came from
            assertThatThrownBy(() -> PayloadConnection.open(s)).isInstanceOfSatisfying(TransportException.class, e -> {
                assertThat(e.kind()).isEqualTo(TransportException.Kind.AUTH_FAILED);
                assertThat(e.getMessage()).startsWith("authentication refused by the payload " + lab.payload.user()
                                + "@127.0.0.1:" + lab.payload.port() + " (alias 'payload') for user " + lab.payload.user()
                                + " (ssh config " + config + ":4): tried publickey with " + lab.bastion.identity()
                                + " (ssh config " + config + ":5)")
                        .contains("the server accepts publickey");
            });
            // GIVEN a bastion entry without User WHEN its login is refused THEN the user named is the local one, as ssh
            Path noUser = write("config-no-user", String.join("\n",
                    "Host bastion",
                    "    HostName 127.0.0.1",
                    "    Port " + lab.bastion.port(),
                    "    IdentityFile " + lab.payload.identity(), ""));
            ConnectionSettings t = ConnectionSettings.builder(SshDestination.of(new SshTarget(lab.payload.user(), "127.0.0.1",
                    lab.payload.port()))).sshConfig(noUser).jumps("bastion").knownHosts(bothKnown(lab)).build();
            String local = System.getProperty("user.name");
            assertThatThrownBy(() -> PayloadConnection.open(t)).isInstanceOfSatisfying(TransportException.class, e ->
                    assertThat(e.getMessage()).startsWith("authentication refused by bastion 'bastion' (" + local
                            + "@127.0.0.1:" + lab.bastion.port() + ") for user " + local + " (local user name, as ssh)"
                            + ": tried publickey with " + lab.payload.identity() + " (ssh config " + noUser + ":4)"));
        }
    }

    @ParameterizedTest(name = "bastion: {0}")
    @EnumSource(SshServerKind.class)
    void case_6_include_is_followed(SshServerKind kind) throws IOException {
        try (Lab lab = new Lab(kind)) {
            // GIVEN the hosts in an included file, and ProxyJump set in the main file
            Path hosts = config(lab, "");
            Files.move(hosts, dir.resolve("hosts.conf"));
            Path main = write("main", "Include " + dir.resolve("*.conf") + "\nHost payload\n    ProxyJump bastion\n");
            try (PayloadConnection c = PayloadConnection.open(ConnectionSettings.builder(SshDestination.parse("payload"))
                    .sshConfig(main).knownHosts(bothKnown(lab)).build())) {
                assertThat(c.settings().route().jumps()).singleElement()
                        .satisfies(b -> assertThat(b.name()).isEqualTo("bastion"));
                assertThat(c.exec("echo included", Duration.ofSeconds(10)).stdout()).isEqualTo("included\n");
            }
        }
    }

    @ParameterizedTest(name = "bastion: {0}")
    @EnumSource(SshServerKind.class)
    void case_7_connect_timeout_bounds_connect_banner_and_key_exchange_together(SshServerKind kind) throws IOException {
        List<Socket> held = new ArrayList<>();
        try (Lab lab = new Lab(kind); ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            // GIVEN a "payload" behind the bastion that accepts TCP and never sends its banner
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            ConnectionSettings s = ConnectionSettings.builder(new SshTarget("sigapi", "127.0.0.1", silent.getLocalPort()))
                    .sshConfig(config(lab, "")).jumps("bastion").knownHosts(bothKnown(lab))
                    .connectTimeout(Duration.ofSeconds(3)).build();
            long start = System.nanoTime();
            assertThatThrownBy(() -> PayloadConnection.open(s)).isInstanceOfSatisfying(TransportException.class, e -> {
                assertThat(e.kind()).isEqualTo(TransportException.Kind.TIMEOUT);
                assertThat(e.getMessage()).startsWith("SSH handshake with the payload sigapi@127.0.0.1:" + silent.getLocalPort()
                        + " did not complete within 3 s").contains("through bastion 'bastion'");
            });
            // THEN the bastion's login plus 3 s, not 2 x 3 s (7.0 s before)
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(5500));
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @ParameterizedTest(name = "bastion: {0}")
    @EnumSource(SshServerKind.class)
    void case_9_every_failure_names_the_hop_and_the_port_actually_used(SshServerKind kind) throws IOException {
        try (Lab lab = new Lab(kind)) {
            Path known = bothKnown(lab);
            int closed;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                closed = s.getLocalPort();
            }
            // GIVEN a bastion that is down THEN the message names the bastion (alias and port used)
            Path down = write("config-down", "Host bastion\n    HostName 127.0.0.1\n    Port " + closed + "\n    User ops\n"
                    + "    IdentityFile " + lab.bastion.identity() + "\n");
            assertThatThrownBy(() -> PayloadConnection.open(ConnectionSettings.builder(SshDestination.of(
                    new SshTarget(lab.payload.user(), "127.0.0.1", lab.payload.port()))).identity(lab.payload.identity())
                    .sshConfig(down).jumps("bastion").knownHosts(known).build()))
                    .isInstanceOfSatisfying(TransportException.class, e -> {
                        assertThat(e.kind()).isEqualTo(TransportException.Kind.UNREACHABLE);
                        assertThat(e.getMessage()).isEqualTo("cannot reach bastion 'bastion' (ops@127.0.0.1:" + closed
                                + "): connection refused");
                    });
            // GIVEN a payload that is down behind a working bastion THEN the message says the bastion could not reach it
            Path config = config(lab, "Host gone\n    HostName 127.0.0.1\n    Port " + closed + "\n    User sigapi\n");
            assertThatThrownBy(() -> PayloadConnection.open(ConnectionSettings.builder(SshDestination.parse("gone"))
                    .identity(lab.payload.identity()).sshConfig(config).jumps("bastion").knownHosts(known).build()))
                    .isInstanceOfSatisfying(TransportException.class, e -> {
                        assertThat(e.kind()).isEqualTo(TransportException.Kind.UNREACHABLE);
                        assertThat(e.getMessage()).startsWith("cannot reach the payload sigapi@127.0.0.1:" + closed
                                + " (alias 'gone') through bastion 'bastion' (" + lab.bastion.user() + "@127.0.0.1:"
                                + lab.bastion.port() + "): the bastion could not connect to 127.0.0.1:" + closed);
                        assertThat(e.getMessage()).doesNotContain("Session is being closed")
                                .doesNotContainPattern(":22(?!\\d)");
                    });
            // GIVEN a changed key for the bastion THEN the message speaks of the bastion, not the payload
            String otherKey = Files.readString(lab.payload.knownHosts()).lines().findFirst().orElseThrow()
                    .replaceFirst("^\\S+", "[127.0.0.1]:" + lab.bastion.port());
            Path changed = write("kh-changed", Files.readString(lab.payload.knownHosts()) + otherKey + "\n");
            assertThatThrownBy(() -> PayloadConnection.open(ConnectionSettings.builder(SshDestination.parse("payload"))
                    .sshConfig(config).jumps("bastion").knownHosts(changed).build()))
                    .isInstanceOfSatisfying(TransportException.class, e -> {
                        assertThat(e.kind()).isEqualTo(TransportException.Kind.HOST_KEY_CHANGED);
                        assertThat(e.getMessage()).startsWith("host key of 127.0.0.1:" + lab.bastion.port()
                                + " (bastion 'bastion'").contains("if the bastion was re-installed")
                                .doesNotContain("the payload");
                    });
        }
    }
}
