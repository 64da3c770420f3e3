package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.bus.Window;
import io.sigkit.probe.LocalShell;
import io.sigkit.probe.RemoteScript;
import io.sigkit.probe.Sections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The diagnostic window's launch script (SIG-START-002..006) under real local shells: configure first, its exit status
 * awaited and recorded, the listings before and after the start, and the start's outcome read from the wrapper's
 * files. Here /usr/bin/payload_exec does not exist, so both configure and start exit 127: the script must still run
 * to its end under bash, dash and busybox ash, and record exactly that.
 */
class DiagnosticRunTests {
    @TempDir
    Path scratch;

    static Stream<List<String>> shells() {
        return LocalShell.available().stream();
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void configure_is_awaited_then_the_start_is_launched_listed_and_its_outcome_recorded(List<String> shell)
            throws Exception {
        // GIVEN a window and the end time it would have if configure took no time
        Window window = Window.reserved(2_100_000_000L, 7, "sigkit", Instant.EPOCH);
        Instant end = Instant.ofEpochSecond(2_000_000_000L);
        RemoteScript script = DiagnosticRun.launchScript(scratch.toString(), window, end, Duration.ofSeconds(5), true,
                b -> b);

        // WHEN it runs
        RemoteScript.Output out = LocalShell.run(shell, script);

        // THEN it launched (its private directory was new), waited for configure (well under the 5 s), and counts -t
        // from then (the seconds configure took added, rounded); configure's exit status was recorded before the start
        Sections s = out.require();
        String[] launch = s.first("launch-" + window.id()).split(" ");
        assertThat(launch[0]).isEqualTo("1");
        assertThat(Integer.parseInt(launch[1])).isLessThan(50);
        assertThat(Long.parseLong(launch[2])).isEqualTo(end.getEpochSecond() + (Integer.parseInt(launch[1]) + 5) / 10);
        Path dir = Path.of(DiagnosticRun.dir(scratch.toString(), window));
        assertThat(Files.readString(dir.resolve("configure")).strip()).isEqualTo("127");
        // AND the listings before and after the start parse, each holding the shell that made it
        long uid = WindowWork.uid(out);
        WindowWork work = WindowWork.since(window.id(), uid, scratch.toString(),
                WindowWork.Look.from(out, "first-" + window.id(), Instant.now()));
        work.capture(WindowWork.Look.from(out, "before-" + window.id(), Instant.now()));
        // AND neither the kit's wrapper nor its helpers are taken for the window's work
        assertThat(work.capture(WindowWork.Look.from(out, "after1-" + window.id(), Instant.now())))
                .noneMatch(p -> String.join(" ", p.argv()).contains("sigkit-diag"));
        // AND the wrapper records the start's exit status, its start stamp and the tail of its stderr
        Path status = dir.resolve("status");
        for (int i = 0; i < 50 && !Files.exists(status); i++) {
            Thread.sleep(100);
        }
        RemoteScript.Output read = LocalShell.run(shell, DiagnosticRun.addStarted(
                DiagnosticRun.addStatus(RemoteScript.builder(), scratch.toString(), window), scratch.toString(), window)
                .build());
        DiagnosticRun.Status st = DiagnosticRun.parse(read.require(), window);
        assertThat(st.state()).isEqualTo("exited");
        assertThat(st.exitStatus()).isEqualTo(127);
        assertThat(st.configureExitStatus()).isEqualTo(127);
        assertThat(DiagnosticRun.startedUptime(read.require(), window)).isPositive();
    }
}
