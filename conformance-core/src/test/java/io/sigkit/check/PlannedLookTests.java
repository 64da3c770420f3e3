package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.probe.LocalShell;
import io.sigkit.probe.RemoteScript;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The listings the start scenario plans on the payload (SIG-START-003, SIG-START-004), under real shells: taken in the
 * background at their time after the planning script has gone, and dated on the boot clock never earlier than they
 * were taken (a listing dated too early would make a control window look too early).
 */
class PlannedLookTests {

    static Stream<List<String>> shells() {
        return LocalShell.available().stream();
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void a_planned_look_waits_for_the_planning_shell_and_is_dated_no_earlier_than_taken(List<String> shell,
                                                                                         @TempDir Path dir)
            throws Exception {
        // GIVEN a planning script with a look 0.3 s after its shell has gone (bounded at 5 s) and one at 0.6 s
        String after = dir.resolve("after").toString();
        String fixed = dir.resolve("fixed").toString();
        RemoteScript.Builder plan = WindowWork.addShell(RemoteScript.builder());
        plan.code(StartScenario.PLANNED_CLOCK);
        plan.section("planned-from", "echo \"$g0\"", 32);
        StartScenario.addPlannedLook(plan, after, Duration.ofMillis(300), Duration.ofSeconds(5));
        StartScenario.addPlannedLook(plan, fixed, null, Duration.ofMillis(600));
        plan.code("sleep 0.2");
        plan.section("planned-sent", "sigkit_cs", 32);
        // WHEN it runs, and the looks are read by a later script
        Instant sent = Instant.now();
        RemoteScript.Output planning = LocalShell.run(shell, plan.build());
        Instant returned = Instant.now();
        StartScenario.PlannedBase base = StartScenario.plannedBase(planning, returned);
        RemoteScript.Builder read = RemoteScript.builder();
        StartScenario.addPlannedLookRead(read, after, "after", Duration.ofSeconds(2));
        StartScenario.addPlannedLookRead(read, fixed, "fixed", Duration.ofSeconds(2));
        RemoteScript.Output out = LocalShell.run(shell, read.build());
        Instant readBack = Instant.now();
        WindowWork.Look afterLook = StartScenario.plannedLook(out, "after", planning, base);
        WindowWork.Look fixedLook = StartScenario.plannedLook(out, "fixed", planning, base);
        // THEN the base is no earlier than the planning script's first reading could have been (it ran 0.2 s after it)
        assertThat(base.at()).isAfterOrEqualTo(sent).isBeforeOrEqualTo(returned);
        // AND the look after the shell's end was taken after the planning script had returned, the fixed one 0.6 s in
        assertThat(afterLook.at()).isAfterOrEqualTo(returned.plusMillis(280)).isBefore(readBack);
        assertThat(Duration.between(base.at(), fixedLook.at())).isGreaterThanOrEqualTo(Duration.ofMillis(590));
        assertThat(afterLook.processes()).isNotEmpty();
        assertThat(fixedLook.processes()).isNotEmpty();
    }
}
