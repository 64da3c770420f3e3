package io.sigkit.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.sigkit.testbed.LoginShell;
import io.sigkit.testbed.junit.Payload;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.SshServerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport against real SSH servers and real login shells in the testbed: OpenSSH and Dropbear, bash, dash and
 * busybox ash, with and without SFTP, strict host keys from each instance's known_hosts.
 */
@RequiresTestbed
class TestbedTransportTests {

    /** The bus's start command, with a job that runs 5 s in place of payload_exec. */
    private static final String START = "nohup sh -c 'sleep 5' &> /dev/null &";
    /** "running" once the job's sleep runs; the background job may not have started it yet, so looked for 3 s. */
    private static final String SLEEP_RUNNING = "i=0; while [ $i -lt 30 ]; do pgrep -x sleep >/dev/null && { echo running;"
            + " exit 0; }; sleep 0.1; i=$((i+1)); done";

    @TempDir
    Path dir;

    private static PayloadConnection connect(RunningPayload payload) {
        return PayloadConnection.open(settings(payload).build());
    }

    private static ConnectionSettings.Builder settings(RunningPayload payload) {
        return ConnectionSettings.builder(SshTarget.parse(payload.target()))
                .identity(payload.identity())
                .knownHosts(payload.knownHosts())
                .hostKeyPolicy(HostKeyPolicy.STRICT);
    }

    @Test
    void openssh_bash_returns_from_the_start_command_at_once(@Payload RunningPayload payload) {
        try (PayloadConnection c = connect(payload)) {
            // WHEN
            ExecResult r = c.exec(START, Duration.ofSeconds(15));
            // THEN
            assertThat(r.exitStatus()).isZero();
            assertThat(r.toExit()).isLessThan(Duration.ofSeconds(1));
            assertThat(r.toClose()).isLessThan(Duration.ofSeconds(1));
            // and the job survives the call
            assertThat(c.exec(SLEEP_RUNNING, Duration.ofSeconds(5)).stdout())
                    .isEqualTo("running\n");
            ServerIdentity id = c.serverIdentity();
            assertThat(id.serverVersion()).startsWith("SSH-2.0-OpenSSH_");
            assertThat(id.policy()).isEqualTo(HostKeyPolicy.STRICT);
            assertThat(id.authMethod()).isEqualTo("publickey");
            assertThat(id.address()).isEqualTo("127.0.0.1:" + payload.port());
        }
    }

    @Test
    void openssh_dash_returns_the_exit_status_at_once_but_holds_the_channel(@Payload(shell = LoginShell.DASH) RunningPayload payload) {
        try (PayloadConnection c = connect(payload)) {
            // GIVEN dash is the login shell
            assertThat(c.exec("shell=$(readlink -f /proc/$$/exe); echo $shell", Duration.ofSeconds(5)).stdout().strip()).isEqualTo("/usr/bin/dash");
            // WHEN
            ExecResult r = c.exec(START, Duration.ofSeconds(15));
            // THEN: dash reads '&>' as '&' then '>', so sleep keeps the channel's stdout open until it ends
            assertThat(r.exitStatus()).isZero();
            assertThat(r.toExit()).isLessThan(Duration.ofSeconds(1));
            assertThat(r.toClose()).isBetween(Duration.ofMillis(4500), Duration.ofSeconds(8));
        }
    }

    @Test
    void dropbear_bash_returns_at_once_and_offers_sftp_through_sftp_server(
            @Payload(server = SshServerKind.DROPBEAR) RunningPayload payload) {
        try (PayloadConnection c = connect(payload)) {
            // WHEN
            ExecResult r = c.exec(START, Duration.ofSeconds(15));
            // THEN
            assertThat(r.exitStatus()).isZero();
            assertThat(r.toClose()).isLessThan(Duration.ofSeconds(1));
            assertThat(c.serverIdentity().serverVersion()).contains("dropbear");
            assertThat(c.files().mechanism()).isEqualTo("sftp");
            writeReadAndRemove(c, payload);
        }
    }

    @Test
    void dropbear_dash_returns_at_once(@Payload(server = SshServerKind.DROPBEAR, shell = LoginShell.DASH) RunningPayload payload) {
        try (PayloadConnection c = connect(payload)) {
            ExecResult r = c.exec(START, Duration.ofSeconds(15));
            assertThat(r.exitStatus()).isZero();
            assertThat(r.toClose()).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void openssh_with_sftp_writes_files_over_sftp(@Payload RunningPayload payload) {
        try (PayloadConnection c = connect(payload)) {
            assertThat(c.files().mechanism()).isEqualTo("sftp");
            writeReadAndRemove(c, payload);
            assertThat(c.execRequests()).isZero();
            assertThat(c.sftpOperations()).isPositive();
        }
    }

    @Test
    void openssh_without_sftp_falls_back_to_exec(@Payload(sftp = false) RunningPayload payload) {
        try (PayloadConnection c = connect(payload)) {
            assertThat(c.files().mechanism()).isEqualTo("exec");
            writeReadAndRemove(c, payload);
            assertThat(c.sftpOperations()).isZero();
            assertThat(c.transcript()).extracting(TranscriptEntry::purpose).contains("file write", "file read");
        }
    }

    @Test
    void dropbear_without_sftp_falls_back_to_exec(@Payload(server = SshServerKind.DROPBEAR, sftp = false) RunningPayload payload) {
        try (PayloadConnection c = connect(payload)) {
            assertThat(c.files().mechanism()).isEqualTo("exec");
            writeReadAndRemove(c, payload);
        }
    }

    @Test
    void exec_fallback_works_under_busybox_ash(@Payload(shell = LoginShell.ASH, sftp = false) RunningPayload payload) {
        try (PayloadConnection c = connect(payload)) {
            assertThat(c.exec("shell=$(readlink -f /proc/$$/exe); echo $shell", Duration.ofSeconds(5)).stdout().strip()).endsWith("busybox");
            assertThat(c.files().mechanism()).isEqualTo("exec");
            writeReadAndRemove(c, payload);
            // and the start command returns at once (ash parses &>)
            assertThat(c.exec(START, Duration.ofSeconds(15)).toClose()).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void exec_fallback_works_under_dash(@Payload(shell = LoginShell.DASH, sftp = false) RunningPayload payload) {
        try (PayloadConnection c = connect(payload)) {
            writeReadAndRemove(c, payload);
        }
    }

    /** Writes a config into the payload's window_configs as the signaling user, checks it as root inside, removes it. */
    private static void writeReadAndRemove(PayloadConnection c, RunningPayload payload) {
        String dirPath = "/signaling/window_configs/sigkit-transport-test";
        String file = dirPath + "/9000000017.json";
        byte[] content = "{\"window\": 9000000017, \"note\": \"it's ✓\"}\n".getBytes(StandardCharsets.UTF_8);
        c.files().mkdir(dirPath, 0750);
        c.files().write(file, content, 0640);
        assertThat(c.files().exists(file)).isTrue();
        assertThat(c.files().read(file)).isEqualTo(content);
        // seen from inside the payload, as root
        io.sigkit.testbed.CommandResult inside = payload.exec("stat", "-c", "%a %U %s", file);
        assertThat(inside.stdout().strip()).isEqualTo("640 " + payload.user() + " " + content.length);
        assertThat(payload.exec("stat", "-c", "%a", dirPath).stdout().strip()).isEqualTo("750");
        assertThat(c.files().delete(file)).isTrue();
        assertThat(c.files().delete(file)).isFalse();
        c.files().rmdir(dirPath);
        assertThat(payload.exec("test", "-e", dirPath).exitStatus()).isEqualTo(1);
        // a place the user may not write fails with the server's reason
        assertThatThrownBy(() -> c.files().write("/etc/sigkit-forbidden", content, 0644))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.IO);
                    assertThat(e.getMessage()).startsWith("cannot write /etc/sigkit-forbidden on " + payload.user() + "@")
                            .containsIgnoringCase("permission denied");
                });
    }

    @Test
    void openssh_reports_the_exit_signal(@Payload RunningPayload payload) {
        try (PayloadConnection c = connect(payload)) {
            // WHEN the login shell kills itself
            ExecResult r = c.exec("kill -9 $$", Duration.ofSeconds(5));
            // THEN
            assertThat(r.exitStatus()).isNull();
            assertThat(r.exitSignal()).isEqualTo("KILL");
            assertThat(r.toExit()).isNotNull();
            assertThat(r.succeeded()).isFalse();
        }
    }

    @Test
    void a_hanging_call_times_out_without_hanging(@Payload RunningPayload payload) {
        try (PayloadConnection c = connect(payload)) {
            long start = System.nanoTime();
            ExecResult r = c.exec("sleep 30", Duration.ofSeconds(1));
            assertThat(r.timedOut()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(c.exec("echo alive", Duration.ofSeconds(5)).stdout()).isEqualTo("alive\n");
        }
    }

    @Test
    void a_flood_is_capped_and_drained(@Payload RunningPayload payload) {
        try (PayloadConnection c = PayloadConnection.open(settings(payload).outputCap(4096).build())) {
            ExecResult r = c.exec("head -c 5242880 /dev/zero; echo done >&2", Duration.ofSeconds(30));
            assertThat(r.timedOut()).isFalse();
            assertThat(r.stdout()).hasSize(4096);
            assertThat(r.stdoutTruncated()).isTrue();
            assertThat(r.stderr()).isEqualTo("done\n");
        }
    }

    @Test
    void strict_rejects_the_unknown_key_and_the_hint_trusts_it(@Payload RunningPayload payload) throws Exception {
        // GIVEN an empty known_hosts
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, "");
        ConnectionSettings s = settings(payload).knownHosts(knownHosts).build();
        // WHEN / THEN
        String hint = null;
        try {
            PayloadConnection.open(s).close();
        } catch (TransportException e) {
            assertThat(e.kind()).isEqualTo(TransportException.Kind.HOST_KEY_UNKNOWN);
            assertThat(e.getMessage()).contains("127.0.0.1:" + payload.port()).contains("SHA256:");
            hint = e.getMessage().replaceAll(".*add it with '([^']+)'.*", "$1");
        }
        assertThat(hint).startsWith("ssh-keyscan -p " + payload.port() + " 127.0.0.1 >> ");
        // and running the hint's command makes a strict connection work
        Process p = new ProcessBuilder("sh", "-c", hint + " 2>/dev/null").start();
        assertThat(p.waitFor()).isZero();
        try (PayloadConnection c = PayloadConnection.open(s)) {
            assertThat(c.serverIdentity().hostKeyNewlyTrusted()).isFalse();
        }
    }

    @Test
    void accept_new_trusts_on_first_use_then_strict_agrees(@Payload RunningPayload payload) throws Exception {
        Path knownHosts = dir.resolve("kh");
        ConnectionSettings tofu = settings(payload).knownHosts(knownHosts).hostKeyPolicy(HostKeyPolicy.ACCEPT_NEW).build();
        String fingerprint;
        try (PayloadConnection c = PayloadConnection.open(tofu)) {
            assertThat(c.serverIdentity().hostKeyNewlyTrusted()).isTrue();
            fingerprint = c.serverIdentity().hostKeyFingerprint();
        }
        List<String> lines = Files.readAllLines(knownHosts);
        assertThat(lines).hasSize(1).allMatch(l -> l.startsWith("[127.0.0.1]:" + payload.port() + " "));
        // the key written is the one the instance's own known_hosts lists
        assertThat(Files.readAllLines(payload.knownHosts())).contains(lines.get(0));
        try (PayloadConnection c = PayloadConnection.open(settings(payload).knownHosts(knownHosts).build())) {
            assertThat(c.serverIdentity().hostKeyFingerprint()).isEqualTo(fingerprint);
        }
    }

    @Test
    void a_cut_link_stalls_calls_until_their_timeout_and_the_session_resumes_when_restored(
            @Payload(netns = true) RunningPayload payload) {
        try (PayloadConnection c = PayloadConnection.open(settings(payload).defaultCallTimeout(Duration.ofSeconds(2)).build())) {
            assertThat(c.exec("true", Duration.ofSeconds(5)).succeeded()).isTrue();
            assertThat(c.files().mechanism()).isEqualTo("sftp");
            // WHEN the bus cuts the payload's Ethernet
            payload.linkDown();
            try {
                // THEN a file operation gives up at the default call timeout
                long writeStart = System.nanoTime();
                assertThatThrownBy(() -> c.files().write("/signaling/inbox/stalled", new byte[] {1}, 0644))
                        .isInstanceOfSatisfying(TransportException.class,
                                e -> assertThat(e.kind()).isEqualTo(TransportException.Kind.TIMEOUT));
                assertThat(Duration.ofNanos(System.nanoTime() - writeStart)).isLessThan(Duration.ofSeconds(5));
                long start = System.nanoTime();
                ExecResult stalled = c.exec("echo hi", Duration.ofSeconds(2));
                // THEN the call gives up at its timeout instead of hanging
                assertThat(stalled.timedOut()).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
                // and a new connection fails fast, naming the target
                ConnectionSettings quick = settings(payload).connectTimeout(Duration.ofSeconds(1))
                        .authTimeout(Duration.ofSeconds(1)).build();
                long connectStart = System.nanoTime();
                assertThatThrownBy(() -> PayloadConnection.open(quick))
                        .isInstanceOfSatisfying(TransportException.class,
                                e -> assertThat(e.getMessage()).contains("127.0.0.1:" + payload.port()));
                assertThat(Duration.ofNanos(System.nanoTime() - connectStart)).isLessThan(Duration.ofSeconds(4));
            } finally {
                payload.linkUp();
            }
            // WHEN the link is back THEN the same session works again
            ExecResult after = c.exec("echo back", Duration.ofSeconds(20));
            assertThat(after.stdout()).isEqualTo("back\n");
            assertThat(after.session()).isEqualTo(1);
            // and files work again, over a fresh SFTP channel
            c.files().write("/signaling/inbox/after-cut", new byte[] {2}, 0644);
            assertThat(c.files().mechanism()).isEqualTo("sftp");
            assertThat(c.files().delete("/signaling/inbox/after-cut")).isTrue();
        }
    }

    @Test
    void reconnect_opens_a_second_session_on_the_real_server(@Payload RunningPayload payload) {
        try (PayloadConnection c = connect(payload)) {
            String first = c.exec("echo $PPID", Duration.ofSeconds(5)).stdout();
            c.reconnect();
            ExecResult second = c.exec("echo $PPID", Duration.ofSeconds(5));
            assertThat(second.session()).isEqualTo(2);
            assertThat(second.stdout()).isNotEqualTo(first);
            assertThat(c.sessionsOpened()).isEqualTo(2);
        }
    }

    /**
     * Issue 9: a link cut while the session is idle is noticed by the keepalive (every 5 s, 3 missed replies: the
     * defaults, as ServerAliveInterval 5 and ServerAliveCountMax 3) within 15 to 20 s, not at the next call's timeout;
     * the next call then fails at once as CONNECTION_LOST, saying why, and a reconnect works once the link is back.
     */
    @Test
    void a_cut_link_is_noticed_by_the_keepalive_within_20_seconds(@Payload(netns = true) RunningPayload payload) {
        try (PayloadConnection c = connect(payload)) {
            assertThat(c.exec("true", Duration.ofSeconds(5)).succeeded()).isTrue();
            // WHEN the link goes down and nothing is sent
            payload.linkDown();
            long cut = System.nanoTime();
            try {
                while (c.sessionOpen() && System.nanoTime() - cut < Duration.ofSeconds(40).toNanos()) {
                    sleep(Duration.ofMillis(250));
                }
                Duration noticed = Duration.ofNanos(System.nanoTime() - cut);
                // THEN the session is closed after 3 unanswered keepalives (plus the one that finds them unanswered)
                assertThat(c.sessionOpen()).isFalse();
                assertThat(noticed).isBetween(Duration.ofSeconds(14), Duration.ofSeconds(22));
                // and the next call fails at once, naming the cause
                long call = System.nanoTime();
                assertThatThrownBy(() -> c.exec("true", Duration.ofSeconds(30)))
                        .isInstanceOfSatisfying(TransportException.class, e -> {
                            assertThat(e.kind()).isEqualTo(TransportException.Kind.CONNECTION_LOST);
                            assertThat(e.getMessage()).contains("no reply to 3 keepalives sent every 5 s");
                        });
                assertThat(Duration.ofNanos(System.nanoTime() - call)).isLessThan(Duration.ofSeconds(1));
            } finally {
                payload.linkUp();
            }
            // WHEN the link is back THEN a reconnect opens session 2
            c.reconnect();
            assertThat(c.exec("echo back", Duration.ofSeconds(10)).session()).isEqualTo(2);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
