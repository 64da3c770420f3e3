package io.sigkit.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Files over SFTP when the server offers it, over exec when it does not; the same behaviour either way. */
class RemoteFilesTests {

    @TempDir
    Path dir;

    @TempDir
    Path remote;

    private InProcessServerTestCase server;
    private PayloadConnection connection;

    private PayloadConnection connect(boolean sftp) {
        server = InProcessServerTestCase.start(sftp);
        Path key = ClientKeyTestCase.ed25519(dir);
        server.authorize(ClientKeyTestCase.publicKey(key));
        Path knownHosts = ClientKeyTestCase.write(dir.resolve("known_hosts"), server.knownHostsLines());
        connection = PayloadConnection.open(ConnectionSettings.builder(server.target("sigapi"))
                .identity(key).knownHosts(knownHosts).outputCap(256 * 1024).build());
        return connection;
    }

    @AfterEach
    void disconnect() throws IOException {
        if (connection != null) {
            connection.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "sftp offered: {0}")
    @ValueSource(booleans = {true, false})
    void uses_sftp_when_offered_and_exec_otherwise(boolean sftp) {
        // WHEN
        PayloadConnection c = connect(sftp);
        // THEN
        assertThat(c.files().mechanism()).isEqualTo(sftp ? "sftp" : "exec");
    }

    @ParameterizedTest(name = "sftp offered: {0}")
    @ValueSource(booleans = {true, false})
    void writes_verifies_and_reads_binary_content_with_its_mode(boolean sftp) throws IOException {
        // GIVEN binary content with every byte value, and a path with a space and a quote
        PayloadConnection c = connect(sftp);
        byte[] content = new byte[100_000];
        new Random(42).nextBytes(content);
        Path file = remote.resolve("window config's.json");
        // WHEN
        c.files().write(file.toString(), content, 0640);
        // THEN
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
        assertThat(c.files().read(file.toString())).isEqualTo(content);
        // and an overwrite truncates
        c.files().write(file.toString(), "short".getBytes(StandardCharsets.UTF_8), 0600);
        assertThat(Files.readString(file)).isEqualTo("short");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @ParameterizedTest(name = "sftp offered: {0}")
    @ValueSource(booleans = {true, false})
    void creates_checks_and_removes_files_and_directories(boolean sftp) throws IOException {
        // GIVEN
        PayloadConnection c = connect(sftp);
        String d = remote.resolve("inbox").toString();
        String f = d + "/-dash-file";
        // WHEN / THEN
        assertThat(c.files().exists(d)).isFalse();
        c.files().mkdir(d, 0750);
        assertThat(c.files().exists(d)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(d)))).isEqualTo("rwxr-x---");
        c.files().write(f, new byte[0], 0644);
        assertThat(c.files().exists(f)).isTrue();
        assertThat(c.files().read(f)).isEmpty();
        assertThat(c.files().delete(f)).isTrue();
        assertThat(c.files().delete(f)).isFalse();
        assertThat(c.files().exists(f)).isFalse();
        c.files().rmdir(d);
        assertThat(Path.of(d)).doesNotExist();
    }

    @ParameterizedTest(name = "sftp offered: {0}")
    @ValueSource(booleans = {true, false})
    void a_directory_made_without_a_mode_gets_the_payloads_default_like_an_uplink(boolean sftp) throws Exception {
        // GIVEN the mode the payload's own defaults (umask) give a new directory, seen on a sibling made by mkdir(1)
        PayloadConnection c = connect(sftp);
        Path sibling = remote.resolve("made-by-mkdir");
        assertThat(new ProcessBuilder("mkdir", sibling.toString()).start().waitFor()).isZero();
        int before = c.sftpOperations();
        // WHEN the kit makes a directory without a mode, as the bus makes /signaling/inbox/<user>/
        Path d = remote.resolve("made-by-kit");
        c.files().mkdir(d.toString());
        // THEN it has exactly the payload's default mode: no chmod after the mkdir
        assertThat(Files.getPosixFilePermissions(d)).isEqualTo(Files.getPosixFilePermissions(sibling));
        if (sftp) {
            assertThat(c.sftpOperations() - before).as("SFTP requests: mkdir only").isEqualTo(1);
        } else {
            assertThat(c.transcript().get(c.transcript().size() - 1).command()).doesNotContain("-m ");
        }
    }

    @ParameterizedTest(name = "sftp offered: {0}")
    @ValueSource(booleans = {true, false})
    void failures_name_the_path_the_payload_and_the_mechanism(boolean sftp) {
        // GIVEN
        PayloadConnection c = connect(sftp);
        String missing = remote.resolve("no/such/dir/file").toString();
        String mechanism = sftp ? "sftp" : "exec";
        // WHEN / THEN
        assertThatThrownBy(() -> c.files().write(missing, new byte[] {1}, 0644))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.IO);
                    assertThat(e.getMessage()).startsWith("cannot write " + missing + " on sigapi@127.0.0.1:" + server.port()
                            + " over " + mechanism + ": ").doesNotContain("\n");
                });
        assertThatThrownBy(() -> c.files().read(missing))
                .isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.getMessage()).startsWith("cannot read " + missing));
        assertThatThrownBy(() -> c.files().rmdir(remote.resolve("absent").toString()))
                .isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.getMessage()).startsWith("cannot remove directory "));
        assertThatThrownBy(() -> c.files().mkdir(remote.toString(), 0755))
                .isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.getMessage()).startsWith("cannot create directory " + remote));
    }

    @ParameterizedTest(name = "sftp offered: {0}")
    @ValueSource(booleans = {true, false})
    void counts_operations_by_mechanism_and_transcribes_exec_ones(boolean sftp) {
        // GIVEN
        PayloadConnection c = connect(sftp);
        String f = remote.resolve("counted").toString();
        // WHEN
        c.files().write(f, new byte[] {1, 2, 3}, 0644);
        c.files().exists(f);
        c.files().delete(f);
        // THEN
        if (sftp) {
            assertThat(c.sftpOperations()).isEqualTo(5);
            assertThat(c.execRequests()).isZero();
            assertThat(c.transcript()).isEmpty();
        } else {
            assertThat(c.sftpOperations()).isZero();
            assertThat(c.execRequests()).isEqualTo(3);
            assertThat(c.transcript()).extracting(TranscriptEntry::purpose)
                    .containsExactly("file write", "file exists", "file delete");
        }
    }

    @ParameterizedTest(name = "sftp offered: {0}")
    @ValueSource(booleans = {true, false})
    void decides_the_mechanism_again_after_a_reconnect(boolean sftp) {
        // GIVEN
        PayloadConnection c = connect(sftp);
        String f = remote.resolve("again").toString();
        c.files().write(f, new byte[] {7}, 0644);
        // WHEN
        c.reconnect();
        // THEN
        assertThat(c.files().read(f)).containsExactly(7);
        assertThat(c.files().mechanism()).isEqualTo(sftp ? "sftp" : "exec");
    }

    @ParameterizedTest(name = "sftp offered: {0}")
    @ValueSource(booleans = {true, false})
    void a_read_larger_than_the_cap_fails_saying_what_was_cut_and_returns_nothing(boolean sftp) throws IOException {
        // GIVEN a file larger than the 256 KiB cap (issue 9: SFTP reads had no cap)
        PayloadConnection c = connect(sftp);
        Path big = remote.resolve("big");
        Files.write(big, new byte[300 * 1024]);
        Files.write(remote.resolve("fits"), new byte[256 * 1024]);
        String mechanism = sftp ? "sftp" : "exec";
        // WHEN / THEN
        assertThatThrownBy(() -> c.files().read(big.toString()))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.IO);
                    assertThat(e.getMessage()).startsWith("cannot read " + big + " on sigapi@127.0.0.1:" + server.port()
                                    + " over " + mechanism + ": the file holds ")
                            .contains("over the read cap of 262144 bytes; the read was cut there and nothing is returned");
                });
        // and a file of exactly the cap is read whole
        assertThat(c.files().read(remote.resolve("fits").toString())).hasSize(256 * 1024);
    }
}
