package io.sigkit.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.cleanup.CleanupItem;
import io.sigkit.cleanup.CleanupManifest;
import io.sigkit.probe.LocalShell;
import io.sigkit.probe.ProcessListing;
import io.sigkit.probe.RemoteProcess;
import io.sigkit.probe.RemoteScript;
import io.sigkit.probe.Sections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cleanup, run under real shells: it ends the kit's windows' processes (re-checked before each signal) and removes
 * exactly the items of its manifest, whatever names the payload planted around them.
 */
class CleanupTests {

    static Stream<List<String>> shells() {
        return LocalShell.available().stream();
    }

    static Path fakePayloadExec(Path dir) throws Exception {
        Path exe = dir.resolve("payload_exec");
        Files.writeString(exe, "#!/bin/sh\nwhile :; do sleep 0.2; done\n");
        exe.toFile().setExecutable(true);
        return exe;
    }

    static String scratchPath() {
        byte[] b = new byte[8];
        ThreadLocalRandom.current().nextBytes(b);
        return "/tmp/sigkit-" + HexFormat.of().formatHex(b);
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void ends_window_processes_and_removes_files_and_directories(List<String> shell, @TempDir Path dir) throws Exception {
        // GIVEN a running "payload_exec" for window 2100000042, another for a window that is not the kit's,
        Path exe = fakePayloadExec(dir);
        Process ours = new ProcessBuilder(exe.toString(), "-u", "john", "-w", "2100000042", "-t", "1").start();
        Process theirs = new ProcessBuilder(exe.toString(), "-u", "john", "-w", "1304893").start();
        // AND files and directories the kit made, among them its scratch directory with content
        Path config = Files.writeString(dir.resolve("2100000042.json"), "{}");
        Path scratch = Path.of(scratchPath());
        Files.createDirectories(scratch.resolve("diag"));
        Files.writeString(scratch.resolve("diag/status"), "0");
        Path inbox = Files.createDirectories(dir.resolve("inbox-john"));
        Path gone = dir.resolve("moved-by-payload");
        CleanupManifest manifest = new CleanupManifest();
        manifest.created(CleanupItem.Kind.WINDOW_CONFIG, config.toString());
        manifest.created(CleanupItem.Kind.DIRECTORY, scratch.toString());
        manifest.created(CleanupItem.Kind.DIRECTORY, inbox.toString());
        manifest.created(CleanupItem.Kind.FILE, gone.toString());
        try {
            Thread.sleep(300);
            // WHEN the kit lists processes, picks its window's, and runs the cleanup script
            List<RemoteProcess> listed = ProcessListing.from(LocalShell.run(shell, ProcessListing.script()));
            List<ProcessEnd.Target> targets = Cleanup.targets(listed, List.of(2100000042L));
            Sections s = LocalShell.run(shell, Cleanup.script(targets, manifest.pending())).requireComplete();
            // THEN our window's process is ended, the other one is untouched
            assertThat(targets).singleElement().satisfies(t -> assertThat(t.process().commandLine()).contains("-w 2100000042"));
            assertThat(ours.waitFor(5, TimeUnit.SECONDS)).as("the kit's window process ended").isTrue();
            assertThat(theirs.isAlive()).as("a real window's process is left alone").isTrue();
            assertThat(s.lines("processes")).containsExactly("0 ended");
            // AND files and directories are gone, each reported by its index in the manifest
            assertThat(config).doesNotExist();
            assertThat(scratch).doesNotExist();
            assertThat(inbox).doesNotExist();
            assertThat(s.lines("items")).containsExactlyInAnyOrder("0 removed", "1 removed", "2 removed", "3 absent");
        } finally {
            ours.destroyForcibly();
            theirs.destroyForcibly();
            deleteTree(scratch);
        }
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void a_pid_that_is_no_longer_the_windows_payload_exec_is_left_alone(List<String> shell, @TempDir Path dir)
            throws Exception {
        // GIVEN a process the kit listed as its window's payload_exec, which by the time of the cleanup is something
        // else: same PID, another start time (a PID reused), or the same process now showing another command line
        Path exe = fakePayloadExec(dir);
        Process other = new ProcessBuilder(exe.toString(), "-u", "john", "-w", "1304893").start();
        try {
            Thread.sleep(300);
            RemoteProcess seen = ProcessListing.from(LocalShell.run(shell, ProcessListing.script())).stream()
                    .filter(p -> p.pid() == other.pid()).findFirst().orElseThrow();
            RemoteProcess reused = new RemoteProcess(seen.pid(), seen.startTicks() + 1, seen.ppid(), seen.pgid(), seen.sid(),
                    seen.state(), seen.uid(), List.of("/usr/bin/payload_exec", "-w", "2100000042"), false);
            // WHEN the cleanup is told to end them as window 2100000042's
            Sections s = LocalShell.run(shell, Cleanup.script(List.of(new ProcessEnd.Target(reused, 2100000042L),
                    new ProcessEnd.Target(seen, 2100000042L)), List.of())).requireComplete();
            // THEN neither is signalled: the start time differs, and the command line is not that window's
            assertThat(s.lines("processes")).containsExactly("0 gone", "1 changed");
            assertThat(other.isAlive()).isTrue();
        } finally {
            other.destroyForcibly();
        }
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void names_with_quotes_newlines_and_expansions_are_removed_exactly(List<String> shell, @TempDir Path dir)
            throws Exception {
        // GIVEN files the kit made whose names hold a double quote, a newline, $(...), backquotes and a backslash escape,
        // AND a planted canary next to them that a sloppy script would hit
        Path canary = Files.writeString(dir.resolve("canary"), "keep me");
        List<Path> odd = List.of(dir.resolve("12\" ruler.pdf"), dir.resolve("x\ncanary"), dir.resolve("$(touch pwned)"),
                dir.resolve("`touch pwned2`"), dir.resolve("a\\n\\057canary"));
        CleanupManifest manifest = new CleanupManifest();
        for (Path p : odd) {
            Files.writeString(p, "x");
            manifest.created(CleanupItem.Kind.FILE, p.toString());
        }
        // WHEN the cleanup runs
        RemoteScript.Output out = LocalShell.run(shell, Cleanup.script(List.of(), manifest.pending()));
        // THEN every one is removed and reported as such, nothing ran, and the canary is still there
        assertThat(out.requireComplete().lines("items"))
                .containsExactly("0 removed", "1 removed", "2 removed", "3 removed", "4 removed");
        for (Path p : odd) {
            assertThat(p).doesNotExist();
        }
        assertThat(canary).hasContent("keep me");
        assertThat(dir.resolve("pwned")).doesNotExist();
        assertThat(dir.resolve("pwned2")).doesNotExist();
        assertThat(Path.of("pwned")).doesNotExist();
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void a_directory_the_payload_filled_is_kept_and_reported(List<String> shell, @TempDir Path dir) throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox-john"));
        Files.writeString(inbox.resolve("payload-owned.dat"), "x");
        CleanupManifest manifest = new CleanupManifest();
        manifest.created(CleanupItem.Kind.DIRECTORY, inbox.toString());
        Sections s = LocalShell.run(shell, Cleanup.script(List.of(), manifest.pending())).requireComplete();
        assertThat(inbox.resolve("payload-owned.dat")).exists();
        assertThat(s.lines("items")).containsExactly("0 present");
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void a_scratch_name_that_is_a_planted_link_is_not_followed(List<String> shell, @TempDir Path dir) throws Exception {
        // GIVEN the scratch directory's name taken by a symbolic link to a directory with content
        Path victim = Files.createDirectories(dir.resolve("victim"));
        Files.writeString(victim.resolve("precious"), "x");
        Path scratch = Path.of(scratchPath());
        Files.createSymbolicLink(scratch, victim);
        try {
            CleanupManifest manifest = new CleanupManifest();
            manifest.created(CleanupItem.Kind.DIRECTORY, scratch.toString());
            // WHEN the cleanup runs
            Sections s = LocalShell.run(shell, Cleanup.script(List.of(), manifest.pending())).requireComplete();
            // THEN the link and its target are left alone, and the report says it is not the kit's
            assertThat(s.lines("items")).containsExactly("0 foreign");
            assertThat(victim.resolve("precious")).exists();
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void the_scratch_directory_is_kept_while_another_item_could_not_be_removed(List<String> shell, @TempDir Path dir)
            throws Exception {
        // GIVEN a kit file the cleanup cannot remove (the payload replaced it with a directory), and the scratch directory
        Path config = Files.createDirectories(dir.resolve("2100000042.json"));
        Files.writeString(config.resolve("x"), "x");
        Path scratch = Files.createDirectories(Path.of(scratchPath()));
        Files.writeString(scratch.resolve("owner"), "record");
        try {
            CleanupManifest manifest = new CleanupManifest();
            manifest.created(CleanupItem.Kind.WINDOW_CONFIG, config.toString());
            manifest.created(CleanupItem.Kind.DIRECTORY, scratch.toString());
            Sections s = LocalShell.run(shell, Cleanup.script(List.of(), manifest.pending())).requireComplete();
            // THEN the scratch directory (with the owner record) stays for a later run to finish the job
            assertThat(s.lines("items")).containsExactly("0 present", "1 kept");
            assertThat(scratch.resolve("owner")).exists();
        } finally {
            deleteTree(scratch);
        }
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void waits_while_a_windows_process_runs_and_not_after_it_is_gone(List<String> shell, @TempDir Path dir)
            throws Exception {
        // GIVEN a "payload_exec" of window 2100000077 whose work ends by itself after about a second
        Path exe = dir.resolve("payload_exec");
        Files.writeString(exe, "#!/bin/sh\nsleep 1\n");
        exe.toFile().setExecutable(true);
        Process window = new ProcessBuilder(exe.toString(), "-u", "john", "-w", "2100000077", "-t", "1").start();
        try {
            // WHEN the cleanup's wait runs (bounded at 20 s)
            String wait = Cleanup.waitCode(List.of(2100000077L, 2100000078L), java.time.Duration.ofSeconds(20));
            LocalShell.Result r = LocalShell.run(shell, wait + "; echo \"steps $i\"");
            // THEN it returned once the window's process had gone, not at its bound
            // (a zombie's command line is empty: the process has exited, and is only not yet reaped by this JVM)
            assertThat(window.waitFor(1, TimeUnit.SECONDS)).isTrue();
            assertThat(r.stdout().strip()).matches("steps [1-9][0-9]?");
            // AND with no such process, it does not wait at all (its own text does not match its patterns)
            assertThat(LocalShell.run(shell, wait + "; echo \"steps $i\"").stdout().strip()).isEqualTo("steps 0");
        } finally {
            window.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    static void deleteTree(Path p) throws Exception {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
