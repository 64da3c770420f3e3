package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.bus.SignalResult;
import io.sigkit.transport.TransportException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * SIG-TIME-001/002 and SIG-END-001 over canned observations: the clock offsets, the clock set and the shutdown are
 * the canned payload's answers, so the branches no testbed instance can produce (a skewed clock: the realtime clock is
 * the host's; a clock set that fails although sudo allows it; a payload that survives its shutdown) are proven here.
 */
class TimeAndEndChecksTests {

    // SIG-TIME-001: payload clock offset

    @Test
    void SIG_TIME_001_fails_when_the_payload_clock_is_ahead_by_more_than_a_second() {
        // GIVEN a payload clock 2.5 s ahead of the kit's
        RequirementResult r = CannedPayload.conformant().clock(Duration.ofMillis(2500)).check("SIG-TIME-001");
        // THEN it fails naming the signed offset and the limit
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-TIME-001] payload clock offset +2500")
                .contains("is beyond 1").contains("windows are scheduled by absolute time");
        assertThat(r.actual()).startsWith("+2500");
    }

    @Test
    void SIG_TIME_001_fails_when_the_payload_clock_is_behind() {
        RequirementResult r = CannedPayload.conformant().clock(Duration.ofSeconds(-90)).check("SIG-TIME-001");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.actual()).startsWith("-90");
    }

    @Test
    void SIG_TIME_001_is_error_when_the_payload_date_prints_no_time() {
        RequirementResult r = CannedPayload.conformant().clockFails(
                new IllegalStateException("the payload's date printed 'date: command not found', not a time"))
                .check("SIG-TIME-001");
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.message()).contains("'date: command not found', not a time");
    }

    @Test
    void SIG_TIME_001_passes_within_a_second_and_records_the_offset() {
        RequirementResult r = CannedPayload.conformant().clock(Duration.ofMillis(400)).check("SIG-TIME-001");
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.evidence()).containsKey("offsetMillis");
        assertThat(r.timings()).isNotEmpty();
    }

    // SIG-TIME-002: the clock can be set without a password or TTY

    @Test
    void SIG_TIME_002_is_not_verified_without_the_reversible_tier() {
        CannedPayload payload = CannedPayload.conformant();
        RequirementResult r = payload.check("SIG-TIME-002");
        assertThat(r.outcome()).isEqualTo(Outcome.NOT_VERIFIED);
        assertThat(r.enabledBy()).isEqualTo("--allow-clock-set");
        assertThat(payload.actions).noneMatch(a -> a.startsWith("set clock"));
    }

    @Test
    void SIG_TIME_002_fails_when_setting_the_clock_exits_non_zero() {
        // GIVEN sudo allows date -s, yet date refuses (a kernel without CAP_SYS_TIME for the container, say)
        String command = "sudo -n date -s \"@$(date +%s)\"";
        CannedPayload payload = CannedPayload.conformant().setClockResult(new SignalResult("set-clock", -1, command,
                CannedPayload.exec(command, 1, "date: cannot set date: Operation not permitted")));
        RequirementResult r = payload.check("SIG-TIME-002", b -> b.allowClockSet(true));
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-TIME-002] setting the clock with '" + command + "' on " + CannedPayload.TARGET)
                .contains("Operation not permitted");
        assertThat(r.expected()).isEqualTo("exit status 0");
    }

    @Test
    void SIG_TIME_002_fails_when_setting_the_clock_never_returns() {
        String command = "sudo -n date -s \"@$(date +%s)\"";
        CannedPayload payload = CannedPayload.conformant().setClockResult(new SignalResult("set-clock", -1, command,
                CannedPayload.timedOut(command)));
        RequirementResult r = payload.check("SIG-TIME-002", b -> b.allowClockSet(true));
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void SIG_TIME_002_passes_with_a_warning_when_the_offset_jumps() {
        // GIVEN an offset of 3 ms before and 1.5 s after setting the clock to its own time
        CannedPayload payload = CannedPayload.conformant().thenClock(Duration.ofMillis(3), Duration.ofMillis(1500));
        RequirementResult r = payload.check("SIG-TIME-002", b -> b.allowClockSet(true));
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.warnings()).anyMatch(w -> w.contains("the offset changed by"));
        assertThat(payload.actions).contains("set clock: sudo -n date -s \"@$(date +%s)\"");
    }

    @Test
    void SIG_TIME_002_uses_timedatectl_when_only_it_is_allowed() {
        CannedPayload payload = CannedPayload.conformant().facts(f -> f.put("sudo-allows-exact-date-set", "exit=1\n")
                .put("sudo-allows-exact-timedatectl-set", "/usr/bin/timedatectl set-time 2023-11-14 22:13:20\nexit=0\n"));
        RequirementResult r = payload.check("SIG-TIME-002", b -> b.allowClockSet(true));
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(payload.actions).anyMatch(a -> a.startsWith("set clock: sudo -n timedatectl set-time"));
    }

    @Test
    void SIG_TIME_002_sets_the_clock_without_sudo_as_root() {
        CannedPayload payload = CannedPayload.conformant().facts(f -> f.put("uid", "0\n").put("user", "root\n"));
        payload.check("SIG-TIME-002", b -> b.allowClockSet(true));
        assertThat(payload.actions).contains("set clock: date -s \"@$(date +%s)\"");
    }

    // SIG-END-001: the bus's shutdown command works

    @Test
    void SIG_END_001_is_not_verified_without_the_destructive_tier() {
        CannedPayload payload = CannedPayload.conformant();
        RequirementResult r = payload.check("SIG-END-001");
        assertThat(r.outcome()).isEqualTo(Outcome.NOT_VERIFIED);
        assertThat(r.enabledBy()).isEqualTo("--allow-destructive");
        assertThat(payload.actions).noneMatch(a -> a.startsWith("shutdown"));
    }

    @Test
    void SIG_END_001_fails_when_the_payload_still_answers_after_the_bound() {
        // GIVEN a shutdown command that exits 0 but does nothing (a stand-in left from the lab)
        CannedPayload payload = CannedPayload.conformant().neverGoesDown();
        RequirementResult r = payload.check("SIG-END-001", b -> b.allowDestructive(true).shutdownBound(Duration.ofMillis(200)));
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-END-001] after 'sudo -n shutdown -h now' the payload at "
                + CannedPayload.TARGET + " still answered SSH");
        assertThat(r.actual()).isEqualTo("still answering");
    }

    @Test
    void SIG_END_001_passes_when_the_payload_stops_answering() {
        CannedPayload payload = CannedPayload.conformant().answersAfterShutdown(1);
        RequirementResult r = payload.check("SIG-END-001", b -> b.allowDestructive(true).shutdownBound(Duration.ofSeconds(5)));
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.message()).contains("stopped answering SSH after");
        assertThat(payload.actions).containsSubsequence("shutdown: sudo -n shutdown -h now", "answer", "answer");
    }

    @Test
    void SIG_END_001_passes_when_the_connection_drops_while_the_command_runs() {
        CannedPayload payload = CannedPayload.conformant().shutdownDropsConnection(
                new TransportException(TransportException.Kind.CONNECTION_LOST, "the session to payload.test:22 closed"));
        RequirementResult r = payload.check("SIG-END-001", b -> b.allowDestructive(true));
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.evidence().get("connection").toString()).startsWith("dropped while the command ran");
    }

    @Test
    void SIG_END_001_issues_the_configured_command_and_no_sudo_as_root() {
        CannedPayload asRoot = CannedPayload.conformant().facts(f -> f.put("uid", "0\n"));
        asRoot.check("SIG-END-001", b -> b.allowDestructive(true));
        assertThat(asRoot.actions).contains("shutdown: shutdown -h now");
        CannedPayload configured = CannedPayload.conformant();
        configured.check("SIG-END-001", b -> b.allowDestructive(true).shutdownCommand("sudo -n poweroff"));
        assertThat(configured.actions).contains("shutdown: sudo -n poweroff");
    }
}
