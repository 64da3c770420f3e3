package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sigkit.probe.IncompleteOutputException;
import io.sigkit.probe.RemoteProcess;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which processes are a window's work (SIG-START-002..006): attribution by listings before and after the signal. */
class WindowWorkTests {
    private static final long UID = 1000;
    private static final long WINDOW = 2_100_000_007L;
    private static final String SCRATCH = "/tmp/sigkit-0123456789abcdef";

    /** pid, start ticks, ppid, sid, uid, state, argv. */
    private static RemoteProcess p(long pid, long start, long ppid, long sid, long uid, String state, String... argv) {
        return new RemoteProcess(pid, start, ppid, sid, sid, state, uid, List.of(argv), false);
    }

    // the kit's connection: sshd for the user (ppid 1 here), and each listing script's shell under it
    private static final RemoteProcess SSHD = p(100, 10, 1, 100, UID, "S", "sshd: sig@notty");
    private static final RemoteProcess RESIDENT = p(50, 5, 1, 50, UID, "S", "/usr/bin/python3", "/usr/lib/payload/payloadd");

    private static WindowWork.Look look(long shell, RemoteProcess... processes) {
        List<RemoteProcess> all = new java.util.ArrayList<>(List.of(SSHD, RESIDENT));
        all.addAll(List.of(processes));
        return new WindowWork.Look(Instant.EPOCH, shell, all);
    }

    private static RemoteProcess shell(long pid, long start) {
        return p(pid, start, 100, pid, UID, "S", "bash", "-c", "IFS= read -r N");
    }

    @Test
    void a_new_process_of_the_user_is_the_window_s_whatever_its_command_line_says() {
        // GIVEN a listing before the signal and one after it, where a worker that names neither payload_exec nor the
        // window appeared, next to the listing's own helpers and another user's new process
        WindowWork work = WindowWork.since(WINDOW, UID, SCRATCH, look(200, shell(200, 20)));
        RemoteProcess worker = p(301, 31, 1, 301, UID, "S", "/usr/bin/python3", "-c", "import time; time.sleep(9)");
        RemoteProcess helper = p(402, 42, 400, 400, UID, "R", "od", "-An", "-tx1");
        RemoteProcess other = p(350, 35, 1, 350, 0, "S", "/usr/sbin/cron");

        // WHEN the listing right after the signal is taken
        List<RemoteProcess> running = work.capture(look(400, shell(400, 40), helper, worker, other));

        // THEN only the worker is the window's: the kit's shell and what it runs, the old daemon and root's are not
        assertThat(running).containsExactly(worker);
        assertThat(work.namesWindow(running)).isFalse();
    }

    @Test
    void a_process_caught_exiting_with_an_empty_command_line_is_nobody_s_work() {
        // GIVEN a listing after the signal where the start's own process is caught as it exits: its command line reads
        // empty, while it is not yet a zombie
        WindowWork work = WindowWork.since(WINDOW, UID, SCRATCH, look(200, shell(200, 20)));
        RemoteProcess exiting = p(446, 44, 1, 446, UID, "R");

        // WHEN the listing right after the signal is taken
        List<RemoteProcess> running = work.capture(look(400, shell(400, 40), exiting));

        // THEN it is not taken for the window's work (whose it was cannot be told)
        assertThat(running).isEmpty();
        assertThat(work.anySeen()).isFalse();
    }

    @Test
    void later_listings_follow_the_captured_processes_their_children_and_payload_exec_of_the_window_only() {
        // GIVEN a window whose detached payload_exec was captured
        WindowWork work = WindowWork.since(WINDOW, UID, SCRATCH, look(200, shell(200, 20)));
        RemoteProcess pe = p(301, 31, 1, 301, UID, "S", "/usr/bin/python3", "/usr/bin/payload_exec", "-u", "sig", "-w",
                Long.toString(WINDOW), "-t", "99");
        assertThat(work.capture(look(400, shell(400, 40), pe))).containsExactly(pe);

        // WHEN a later listing holds its new child, an unrelated new process, a zombie and a reused PID
        RemoteProcess child = p(305, 60, 301, 301, UID, "S", "gzip", "-9");
        RemoteProcess grandchild = p(306, 61, 305, 301, UID, "S", "cat");
        RemoteProcess unrelated = p(500, 62, 1, 500, UID, "S", "/usr/bin/other-window-worker");
        RemoteProcess reused = p(301, 77, 1, 301, UID, "S", "/usr/bin/python3", "-c", "pass");
        List<RemoteProcess> later = work.follow(look(600, shell(600, 70), grandchild, child, pe, unrelated));
        List<RemoteProcess> afterExit = work.follow(look(700, shell(700, 80), reused,
                p(305, 60, 1, 301, UID, "Z", "gzip")));

        // THEN its descendants are followed; the unrelated process, the zombie and the reused PID are not the window's
        assertThat(later).containsExactlyInAnyOrder(pe, child, grandchild);
        assertThat(afterExit).isEmpty();
        assertThat(work.seen()).containsExactly(pe, child, grandchild);
    }

    @Test
    void the_kit_s_wrapper_and_its_helpers_are_not_the_window_s_but_the_payload_exec_it_starts_is() {
        // GIVEN a diagnostic wrapper (its arguments hold the scratch directory) started from the listing's shell
        WindowWork work = WindowWork.since(WINDOW, UID, SCRATCH, look(200, shell(200, 20)));
        RemoteProcess wrapper = p(410, 41, 1, 400, UID, "S", "sh", "-c", "d=$1; ...", "sigkit-diag",
                SCRATCH + "/diag-" + WINDOW, "/usr/bin/payload_exec", "-u", "sig", "-w", Long.toString(WINDOW));
        RemoteProcess tail = p(411, 42, 410, 400, UID, "S", "tail", "-c", "2000");
        RemoteProcess subshell = p(412, 43, 410, 400, UID, "S", "sh", "-c", "d=$1; ...", "sigkit-diag",
                SCRATCH + "/diag-" + WINDOW);
        RemoteProcess pe = p(413, 44, 412, 400, UID, "S", "/usr/bin/python3", "/usr/bin/payload_exec", "-u", "sig",
                "-w", Long.toString(WINDOW), "-t", "99");
        RemoteProcess peChild = p(414, 45, 413, 400, UID, "S", "/usr/bin/capture", "--frames", "10");
        RemoteProcess sleep = p(420, 46, 400, 400, UID, "S", "sleep", "0.3");

        // WHEN the listing after the start is taken by the same shell that launched the wrapper
        List<RemoteProcess> running = work.capture(look(400, shell(400, 40), wrapper, tail, subshell, pe, peChild, sleep));

        // THEN payload_exec and what it started are the window's, the wrapper, its tail and the shell's sleep are not
        assertThat(running).containsExactlyInAnyOrder(pe, peChild);
    }

    @Test
    void a_listing_without_its_own_shell_is_incomplete_not_empty() {
        // GIVEN a listing that does not hold the shell that made it (cut or forged)
        WindowWork work = WindowWork.since(WINDOW, UID, SCRATCH, look(200, shell(200, 20)));

        // WHEN it is used, THEN the kit says the output is incomplete (ERROR), never "no work"
        assertThatThrownBy(() -> work.capture(look(999)))
                .isInstanceOf(IncompleteOutputException.class).hasMessageContaining("999");
    }

    @Test
    void a_new_sshd_of_a_reconnect_and_a_user_service_manager_are_not_the_window_s() {
        // GIVEN a reconnect: a new sshd process for the kit, the listing shell under it, and a systemd --user
        WindowWork work = WindowWork.since(WINDOW, UID, SCRATCH, look(200, shell(200, 20)));
        RemoteProcess sshd2 = p(800, 80, 1, 800, UID, "S", "sshd: sig@notty");
        RemoteProcess listing = p(801, 81, 800, 801, UID, "S", "bash", "-c", "IFS= read -r N");
        RemoteProcess sftp = p(802, 82, 800, 802, UID, "S", "/usr/lib/openssh/sftp-server");
        RemoteProcess systemd = p(803, 83, 1, 803, UID, "S", "/lib/systemd/systemd", "--user");

        // WHEN it is captured, THEN none of them is the window's
        assertThat(work.capture(new WindowWork.Look(Instant.EPOCH, 801, List.of(SSHD, sshd2, listing, sftp, systemd))))
                .isEmpty();
        assertThat(work.anySeen()).isFalse();
    }
}
