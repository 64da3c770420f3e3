package io.sigkit.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.cleanup.CleanupItem;
import io.sigkit.cleanup.CleanupManifest;
import io.sigkit.probe.LocalShell;
import io.sigkit.probe.Sections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The cleanup script, run under real shells, ends the kit's windows' processes and removes what the kit made. */
class CleanupTests {

    static Stream<List<String>> shells() {
        return LocalShell.available().stream();
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void ends_window_processes_and_removes_files_and_directories(List<String> shell, @TempDir Path dir) throws Exception {
        // GIVEN a running "payload_exec" for window 2100000042, another for a window that is not the kit's,
        Path exe = dir.resolve("payload_exec");
        Files.writeString(exe, "#!/bin/sh\nwhile :; do sleep 0.2; done\n");
        exe.toFile().setExecutable(true);
        Process ours = new ProcessBuilder(exe.toString(), "-u", "john", "-w", "2100000042", "-t", "1").start();
        Process theirs = new ProcessBuilder(exe.toString(), "-u", "john", "-w", "1304893").start();
        // AND files and directories the kit made
        Path config = Files.writeString(dir.resolve("2100000042.json"), "{}");
        Path scratch = Files.createDirectories(dir.resolve("sigkit-run1/diag"));
        Files.writeString(scratch.resolve("status"), "0");
        Path inbox = Files.createDirectories(dir.resolve("inbox-john"));
        Path gone = dir.resolve("moved-by-payload");
        CleanupManifest manifest = new CleanupManifest();
        manifest.created(CleanupItem.Kind.WINDOW_CONFIG, config.toString());
        manifest.created(CleanupItem.Kind.DIRECTORY, scratch.getParent().toString());
        manifest.created(CleanupItem.Kind.DIRECTORY, inbox.toString());
        manifest.created(CleanupItem.Kind.FILE, gone.toString());
        try {
            Thread.sleep(200);
            // WHEN the cleanup script runs
            LocalShell.Result r = LocalShell.run(shell, Cleanup.script(manifest.pending(), List.of("2100000042")));
            // THEN our window's process is ended, the other one is untouched
            assertThat(ours.waitFor(5, TimeUnit.SECONDS)).as("the kit's window process ended").isTrue();
            assertThat(theirs.isAlive()).as("a real window's process is left alone").isTrue();
            Sections s = Sections.parse(r.stdout());
            assertThat(s.lines("processes")).singleElement().asString().contains("-w 2100000042");
            assertThat(s.lines("process-status")).singleElement().asString().startsWith("ended ");
            // AND files and directories are gone, each reported
            assertThat(config).doesNotExist();
            assertThat(scratch.getParent()).doesNotExist();
            assertThat(inbox).doesNotExist();
            assertThat(s.lines("files")).contains("removed " + config, "absent " + gone,
                    "removed " + scratch.getParent(), "removed " + inbox);
        } finally {
            ours.destroyForcibly();
            theirs.destroyForcibly();
        }
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void a_directory_the_payload_filled_is_kept_and_reported(List<String> shell, @TempDir Path dir) throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox-john"));
        Files.writeString(inbox.resolve("payload-owned.dat"), "x");
        CleanupManifest manifest = new CleanupManifest();
        manifest.created(CleanupItem.Kind.DIRECTORY, inbox.toString());
        LocalShell.Result r = LocalShell.run(shell, Cleanup.script(manifest.pending(), List.of()));
        assertThat(inbox.resolve("payload-owned.dat")).exists();
        assertThat(Sections.parse(r.stdout()).lines("files")).containsExactly("present " + inbox);
    }
}
