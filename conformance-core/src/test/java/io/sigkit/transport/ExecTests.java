package io.sigkit.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exec as the bus does it, against an in-process server that runs commands with /bin/sh -c. */
class ExecTests {

    @TempDir
    Path dir;

    private InProcessServerTestCase server;
    private PayloadConnection connection;

    @BeforeEach
    void connect() {
        server = InProcessServerTestCase.start();
        Path key = ClientKeyTestCase.ed25519(dir);
        server.authorize(ClientKeyTestCase.publicKey(key));
        Path knownHosts = ClientKeyTestCase.write(dir.resolve("known_hosts"), server.knownHostsLines());
        connection = PayloadConnection.open(ConnectionSettings.builder(server.target("sigapi"))
                .identity(key).knownHosts(knownHosts).outputCap(64 * 1024).build());
    }

    @AfterEach
    void disconnect() throws IOException {
        if (connection != null) {
            connection.close();
        }
        server.close();
    }

    @Test
    void captures_exit_status_stdout_and_stderr() {
        // WHEN
        ExecResult r = connection.exec("echo out; echo err >&2; exit 3", Duration.ofSeconds(5));
        // THEN
        assertThat(r.exitStatus()).isEqualTo(3);
        assertThat(r.succeeded()).isFalse();
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
        assertThat(r.timedOut()).isFalse();
        assertThat(r.toExit()).isNotNull();
        assertThat(r.toClose()).isNotNull().isGreaterThanOrEqualTo(r.toExit());
        assertThat(r.session()).isEqualTo(1);
        assertThat(r.exitSignal()).isNull();
    }

    @Test
    void sends_the_command_verbatim() {
        // GIVEN
        String command = "nohup sh -c 'sleep 0' &> /dev/null &  printf '%s\\n' \"a  b\" $((1+2))";
        // WHEN
        connection.exec(command, Duration.ofSeconds(5));
        // THEN
        assertThat(server.commands()).containsExactly(command);
    }

    @Test
    void stdin_is_at_eof_so_cat_returns_at_once() {
        // WHEN
        ExecResult r = connection.exec("cat", Duration.ofSeconds(5));
        // THEN
        assertThat(r.timedOut()).isFalse();
        assertThat(r.succeeded()).isTrue();
        assertThat(r.stdout()).isEmpty();
        assertThat(r.toClose()).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void writes_given_stdin_then_eof() {
        // GIVEN
        byte[] input = "line one\nline two\n".getBytes(StandardCharsets.UTF_8);
        // WHEN
        ExecResult r = connection.exec("wc -l; echo done", input, Duration.ofSeconds(5));
        // THEN
        assertThat(r.succeeded()).isTrue();
        assertThat(r.stdout().strip()).isEqualTo("2\ndone");
    }

    @Test
    void runs_without_pseudo_terminal() {
        // WHEN
        ExecResult r = connection.exec("if [ -t 0 ] || [ -t 1 ]; then echo tty; else echo notty; fi", Duration.ofSeconds(5));
        // THEN
        assertThat(r.stdout().strip()).isEqualTo("notty");
    }

    @Test
    void caps_a_flooding_output_and_keeps_reading() {
        // GIVEN a cap of 64 KiB and a command writing 5 MiB to stdout and 5 MiB to stderr
        String flood = "head -c 5242880 /dev/zero | tr '\\0' x; head -c 5242880 /dev/zero | tr '\\0' y >&2; echo end >&2";
        // WHEN
        ExecResult r = connection.exec(flood, Duration.ofSeconds(30));
        // THEN every byte was drained (the command finished), and only the cap was kept
        assertThat(r.timedOut()).isFalse();
        assertThat(r.exitStatus()).isZero();
        assertThat(r.stdout()).hasSize(64 * 1024).matches("x+");
        assertThat(r.stderr()).hasSize(64 * 1024).matches("y+");
        assertThat(r.stdoutTruncated()).isTrue();
        assertThat(r.stderrTruncated()).isTrue();
    }

    @Test
    void output_below_the_cap_is_not_truncated() {
        // WHEN
        ExecResult r = connection.exec("head -c 65536 /dev/zero | tr '\\0' x", Duration.ofSeconds(5));
        // THEN
        assertThat(r.stdout()).hasSize(65536);
        assertThat(r.stdoutTruncated()).isFalse();
    }

    @Test
    void times_out_on_a_hanging_command_and_closes_the_channel() {
        // WHEN
        long start = System.nanoTime();
        ExecResult r = connection.exec("sleep 30", Duration.ofSeconds(1));
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        // THEN
        assertThat(r.timedOut()).isTrue();
        assertThat(r.exitStatus()).isNull();
        assertThat(r.toExit()).isNull();
        assertThat(r.toClose()).isNull();
        assertThat(r.succeeded()).isFalse();
        assertThat(waited).isLessThan(Duration.ofSeconds(2));
        // and the session is still usable
        assertThat(connection.exec("echo still here", Duration.ofSeconds(5)).stdout()).isEqualTo("still here\n");
    }

    @Test
    void a_background_job_holding_the_channel_separates_exit_from_close() {
        // WHEN the shell exits at once but a background job keeps stdout open for 2 s
        ExecResult r = connection.exec("(sleep 2) & echo x", Duration.ofSeconds(10));
        // THEN
        assertThat(r.exitStatus()).isZero();
        assertThat(r.stdout()).isEqualTo("x\n");
        assertThat(r.toExit()).isLessThan(Duration.ofSeconds(1));
        assertThat(r.toClose()).isGreaterThan(Duration.ofMillis(1800));
    }

    @Test
    void a_detached_background_job_does_not_hold_the_channel() {
        // WHEN the background job's output goes to /dev/null
        ExecResult r = connection.exec("sleep 3 > /dev/null 2>&1 &", Duration.ofSeconds(10));
        // THEN
        assertThat(r.exitStatus()).isZero();
        assertThat(r.toClose()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void timeout_while_the_channel_is_held_keeps_the_exit_status() {
        // WHEN the exit status arrives but the channel stays open past the timeout
        ExecResult r = connection.exec("(sleep 3) & echo x", Duration.ofSeconds(1));
        // THEN
        assertThat(r.timedOut()).isTrue();
        assertThat(r.exitStatus()).isZero();
        assertThat(r.toExit()).isNotNull().isLessThan(Duration.ofSeconds(1));
        assertThat(r.toClose()).isNull();
    }

    @Test
    void records_every_call_in_the_transcript_with_its_purpose() {
        // WHEN
        connection.exec("true", Duration.ofSeconds(5));
        connection.exec(ExecRequest.of("exit 4").withPurpose("SIG-CONF-001 configure").withTimeout(Duration.ofSeconds(5)));
        connection.exec("sleep 5", Duration.ofMillis(300));
        // THEN
        List<TranscriptEntry> t = connection.transcript();
        assertThat(t).extracting(TranscriptEntry::command).containsExactly("true", "exit 4", "sleep 5");
        assertThat(t).extracting(TranscriptEntry::exitStatus).containsExactly(0, 4, null);
        assertThat(t).extracting(TranscriptEntry::purpose).containsExactly("", "SIG-CONF-001 configure", "");
        assertThat(t).extracting(TranscriptEntry::timedOut).containsExactly(false, false, true);
        assertThat(t).extracting(TranscriptEntry::session).containsOnly(1);
        assertThat(t.get(0).toExit()).isNotNull();
        assertThat(t.get(0).toClose()).isNotNull();
        assertThat(t.get(2).toClose()).isNull();
        assertThat(t.get(1).startedAt()).isAfterOrEqualTo(t.get(0).startedAt());
        assertThat(connection.execRequests()).isEqualTo(3);
        // and the snapshot is immutable
        assertThatThrownBy(() -> t.add(t.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void reconnect_opens_a_new_session_and_increments_the_index() {
        // GIVEN
        ExecResult before = connection.exec("echo $$", Duration.ofSeconds(5));
        // WHEN
        connection.reconnect();
        ExecResult after = connection.exec("true", Duration.ofSeconds(5));
        // THEN
        assertThat(before.session()).isEqualTo(1);
        assertThat(after.session()).isEqualTo(2);
        assertThat(connection.sessionsOpened()).isEqualTo(2);
        assertThat(connection.sessionIndex()).isEqualTo(2);
        assertThat(server.sessionsCreated()).isEqualTo(2);
        assertThat(connection.transcript()).extracting(TranscriptEntry::session).containsExactly(1, 2);
    }

    @Test
    void uses_one_session_for_many_calls() {
        // WHEN
        for (int i = 0; i < 5; i++) {
            connection.exec("true", Duration.ofSeconds(5));
        }
        // THEN
        assertThat(server.sessionsCreated()).isEqualTo(1);
        assertThat(connection.sessionsOpened()).isEqualTo(1);
    }

    @Test
    void reports_a_lost_connection_naming_the_target() throws IOException {
        // GIVEN a call in progress
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(300);
                server.close();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        killer.start();
        // WHEN / THEN
        assertThatThrownBy(() -> connection.exec("sleep 10", Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(TransportException.class, e -> {
                    assertThat(e.kind()).isEqualTo(TransportException.Kind.CONNECTION_LOST);
                    assertThat(e.getMessage()).contains("sigapi@127.0.0.1:" + server.port()).doesNotContain("\n");
                });
        // and a later call fails the same way, at once
        assertThatThrownBy(() -> connection.exec("true", Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(TransportException.class,
                        e -> assertThat(e.kind()).isEqualTo(TransportException.Kind.CONNECTION_LOST));
        assertThat(connection.transcript()).extracting(TranscriptEntry::command).contains("sleep 10");
    }

    @Test
    void a_command_killed_by_signal_fails() {
        // WHEN the shell kills itself (this server reports 128+9; OpenSSH sends exit-signal KILL, see the testbed tests)
        ExecResult r = connection.exec("kill -9 $$", Duration.ofSeconds(5));
        // THEN
        assertThat(r.timedOut()).isFalse();
        assertThat(r.succeeded()).isFalse();
        assertThat(r.exitStatus()).isEqualTo(137);
    }
}
