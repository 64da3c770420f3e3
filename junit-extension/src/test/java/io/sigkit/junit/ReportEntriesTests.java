package io.sigkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.check.Measurement;
import io.sigkit.check.RequirementResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a requirement's test and a run publish as report entries. No payload needed. */
class ReportEntriesTests {

    @Test
    void requirement_entries_carry_outcome_timings_and_evidence_on_one_line_each() {
        // GIVEN a result with warnings, two timings and evidence of several JSON types
        RequirementResult result = Results.of("SIG-CONF-002")
                .timing(Measurement.atKit("configure#1 to close", Duration.ofNanos(111_234_000)))
                .timing(Measurement.onPayload("configure#1", Duration.ofMillis(71)))
                .evidence("window", 2100000017L)
                .evidence("stderr", "line one\nline two")
                .evidence("samples", List.of(1, 2))
                .warning("configure took 83 % of its budget")
                .pass("3 configure runs completed within 15.00 s");

        // WHEN turned into entries
        List<Map<String, String>> entries = ReportEntries.forRequirement(result);

        // THEN outcome first, then timings, then evidence, each value one line
        assertThat(entries).hasSize(3);
        assertThat(entries.get(0)).containsEntry("sigkit.requirement", "SIG-CONF-002")
                .containsEntry("sigkit.level", "RECOMMENDED")
                .containsEntry("sigkit.outcome", "PASS")
                .containsEntry("sigkit.message", "[SIG-CONF-002] 3 configure runs completed within 15.00 s")
                .containsEntry("sigkit.warning.1", "configure took 83 % of its budget")
                .doesNotContainKeys("sigkit.expected", "sigkit.actual");
        assertThat(entries.get(1)).containsExactly(
                Map.entry("sigkit.timing.configure#1 to close", "111.2 ms (kit)"),
                Map.entry("sigkit.timing.configure#1", "71.0 ms (payload)"));
        assertThat(entries.get(2)).containsEntry("sigkit.evidence.window", "2100000017")
                .containsEntry("sigkit.evidence.stderr", "line one line two")
                .containsEntry("sigkit.evidence.samples", "[1,2]");
    }

    @Test
    void long_values_are_cut_and_blank_ones_left_out() {
        RequirementResult result = Results.of("SIG-ENV-001").evidence("uname", "x".repeat(5000)).evidence("empty", "")
                .pass("Linux");

        Map<String, String> evidence = ReportEntries.forRequirement(result).get(1);

        assertThat(evidence.get("sigkit.evidence.uname")).hasSize(ReportEntries.MAX_VALUE + 1).endsWith("…");
        assertThat(evidence).doesNotContainKey("sigkit.evidence.empty");
    }

    @Test
    void run_entry_names_verdict_target_and_cleanup() {
        Map<String, String> entry = ReportEntries.forRun(Results.run(false, List.of(Results.pass("SIG-ENV-001")),
                List.of()));

        assertThat(entry).containsEntry("sigkit.verdict", "CONFORMANT")
                .containsEntry("sigkit.target", "sigapi@127.0.0.1:2201")
                .containsEntry("sigkit.durationMillis", "14000")
                .containsEntry("sigkit.cleanup", "complete (0 item(s) removed)");
    }
}
