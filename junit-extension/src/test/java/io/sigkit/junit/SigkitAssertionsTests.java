package io.sigkit.junit;

import static io.sigkit.junit.SigkitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sigkit.bus.SignalResult;
import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.run.RunResult;
import io.sigkit.run.Verdict;
import io.sigkit.transport.ExecResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The assertions on values (signals, results, runs) and their messages. No payload needed. */
class SigkitAssertionsTests {

    private static final String CONFIGURE = "/usr/bin/payload_exec -u sigkit -e -w 2100000017 > /dev/null";

    private static SignalResult configure(Integer status, Duration toExit, Duration toClose, String stderr) {
        return new SignalResult("configure", 2_100_000_017L, CONFIGURE,
                new ExecResult(1, CONFIGURE, status, null, "", stderr, false, false, toExit, toClose, toClose == null));
    }

    @Test
    void signal_that_succeeded_in_time_passes() {
        SignalResult quick = configure(0, Duration.ofMillis(70), Duration.ofMillis(112), "");

        assertThatCode(() -> assertThat(quick).succeeded().succeededWithin(Duration.ofSeconds(15)).exitedWith(0)
                .returnedWithin(Duration.ofMillis(200))).doesNotThrowAnyException();
    }

    @Test
    void slow_signal_says_how_long_it_took_and_when_its_exit_status_came() {
        SignalResult slow = configure(0, Duration.ofMillis(15_400), Duration.ofMillis(15_800), "");

        assertThatThrownBy(() -> assertThat(slow).succeededWithin(Duration.ofSeconds(15)))
                .isInstanceOf(AssertionError.class)
                .hasMessage(String.format("%nExpecting the configure signal%n  %s%nto return within 15.000 s%n"
                        + "but it returned after 15.800 s (its exit status 0 arrived after 15.400 s)", CONFIGURE));
    }

    @Test
    void failed_signal_shows_status_and_stderr() {
        SignalResult refused = configure(1, Duration.ofMillis(60), Duration.ofMillis(61),
                "payload_exec: no window config at /signaling/window_configs/2100000017.json\n");

        assertThatThrownBy(() -> assertThat(refused).succeeded())
                .hasMessage(String.format("%nExpecting the configure signal%n  %s%nto succeed (exit status 0)%n"
                        + "but it exited with status 1 after 0.061 s%nstderr: payload_exec: no window config at"
                        + " /signaling/window_configs/2100000017.json", CONFIGURE));
        assertThatThrownBy(() -> assertThat(refused).exitedWith(0)).hasMessageContaining("to exit with status 0");
        assertThatCode(() -> assertThat(refused).exitedWith(1)).doesNotThrowAnyException();
    }

    @Test
    void signal_that_never_returned_says_so() {
        SignalResult hung = configure(null, null, null, "");

        assertThatThrownBy(() -> assertThat(hung).returnedWithin(Duration.ofSeconds(2)))
                .hasMessageEndingWith("to return within 2.000 s%nbut it had not returned when the kit stopped waiting"
                        .formatted() + " (no exit status arrived)");
        assertThatThrownBy(() -> assertThat(hung).succeeded())
                .hasMessageEndingWith("but it had not returned when the kit stopped waiting");
    }

    @Test
    void run_assertions_list_what_stands_in_the_way() {
        // GIVEN a run where a REQUIRED requirement failed
        RequirementResult failed = Results.of("SIG-FS-002").fail("/usr/bin/payload_exec is 0644", "executable", "0644");
        RunResult run = Results.run(false, List.of(Results.pass("SIG-ENV-001"), failed), List.of());

        // WHEN / THEN
        assertThatThrownBy(() -> assertThat(run).isConformant())
                .hasMessageStartingWith(String.format("%nExpecting payload 127.0.0.1:2201 to be CONFORMANT to the"
                        + " Payload Signaling API v1.0%nbut the verdict was NOT_CONFORMANT:%n  FAIL [SIG-FS-002]"
                        + " /usr/bin/payload_exec is 0644"));
        assertThatCode(() -> assertThat(run).hasVerdict(Verdict.NOT_CONFORMANT)
                .hasResult("SIG-FS-002").withOutcome(Outcome.FAIL).hasMessageContaining("0644"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> assertThat(run).hasResult("SIG-ENV-001").withOutcome(Outcome.FAIL))
                .hasMessage(String.format("%nExpecting SIG-ENV-001 [REQUIRED] the payload runs Linux%nto be FAIL%n"
                        + "but it was PASS: [SIG-ENV-001] all good"));
        assertThatThrownBy(() -> assertThat(run).hasResult("SIG-CONF-002"))
                .hasMessageContaining("to have a result for%n  SIG-CONF-002".formatted());
    }

    @Test
    void requirement_result_assertions_stand_alone() {
        RequirementResult pass = Results.pass("SIG-CONF-002");

        assertThatCode(() -> assertThat(pass).passed().hasMessageContaining("all good")).doesNotThrowAnyException();
        assertThatThrownBy(() -> assertThat(pass).hasMessageContaining("budget"))
                .hasMessage(String.format("%nExpecting the message of SIG-CONF-002%n  [SIG-CONF-002] all good%n"
                        + "to contain%n  budget%nbut it does not"));
    }

    @Test
    void assert_js_own_assertions_come_through_the_same_entry_point() {
        assertThatCode(() -> assertThat(2_100_000_017L).isPositive()).doesNotThrowAnyException();
    }
}
