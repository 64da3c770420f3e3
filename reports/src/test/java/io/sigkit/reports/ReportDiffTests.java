package io.sigkit.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigkit.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Comparing two report.json files: outcome changes, the timing noise rule, identity and versions, bad input. */
class ReportDiffTests {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private Path written(String name, RunResult run) {
        Path reportDir = dir.resolve(name);
        JsonReport.write(run, reportDir.resolve("report.json"));
        return reportDir;
    }

    @Test
    void a_conformant_then_a_failing_report_regresses_naming_the_ids_and_the_slower_configure() {
        // GIVEN the report of a conformant run, then one with failures and configure over budget
        Path old = written("old", RunResultTestCase.conformant());
        Path neu = written("new", RunResultTestCase.notConformant());

        // WHEN they are compared (directories, as --report-dir wrote them)
        ReportDiff diff = ReportDiff.compare(ReportDiff.read(old), "old", ReportDiff.read(neu), "new");

        // THEN the requirements that passed and now fail or error are the regressions
        assertThat(diff.regressed()).isTrue();
        assertThat(diff.regressions()).extracting(ReportDiff.OutcomeChange::id)
                .containsExactly("SIG-FS-006", "SIG-CONF-001", "SIG-CONF-002", "SIG-START-003", "SIG-TIME-002");
        // AND a PASS that became SKIPPED is a change, not a regression
        assertThat(diff.outcomes()).anySatisfy(c -> {
            assertThat(c.id()).isEqualTo("SIG-CONF-003");
            assertThat(c.oldOutcome() + "->" + c.newOutcome()).isEqualTo("PASS->SKIPPED");
            assertThat(c.regressed()).isFalse();
        });
        // AND configure's median to exit status moved from about 0.3 s to 14 s: slower, beyond the noise
        assertThat(diff.timings()).anySatisfy(t -> {
            assertThat(t.id()).isEqualTo("SIG-CONF-002");
            assertThat(t.name()).isEqualTo("configure #N to exit status");
            assertThat(t.where()).isEqualTo("kit");
            assertThat(t.slower()).isTrue();
            assertThat(t.oldMedianMillis()).isEqualTo(333.0);
            assertThat(t.newMedianMillis()).isEqualTo(13_800.0);
        });
        // AND the text names every regressed ID with its outcomes, control characters of payload text escaped
        String text = diff.toText();
        assertThat(text).contains("Verdict: CONFORMANT -> NOT_CONFORMANT")
                .contains("Regressed (5):").contains("  SIG-CONF-001 [REQUIRED] PASS -> FAIL: [SIG-CONF-001] configure")
                .contains("slower SIG-CONF-002 configure #N to exit status (kit): median 333.0 ms -> 13.80 s (5 -> 3 samples)")
                .contains("5 requirements regressed: SIG-FS-006, SIG-CONF-001, SIG-CONF-002, SIG-START-003, SIG-TIME-002")
                .doesNotContain("\u001b");
    }

    @Test
    void the_json_form_carries_the_same_changes() throws Exception {
        ReportDiff diff = ReportDiff.compare(ReportDiff.read(written("a", RunResultTestCase.conformant())), "a",
                ReportDiff.read(written("b", RunResultTestCase.notConformant())), "b");
        JsonNode json = JSON.readTree(diff.toJson());
        assertThat(json.path("regressed").asBoolean()).isTrue();
        assertThat(json.at("/verdict/new").asText()).isEqualTo("NOT_CONFORMANT");
        assertThat(json.path("outcomes")).filteredOn(o -> o.path("change").asText().equals("regressed"))
                .extracting(o -> o.path("id").asText()).contains("SIG-CONF-001", "SIG-TIME-002");
        assertThat(json.path("timings")).anySatisfy(t -> assertThat(t.path("change").asText()).isEqualTo("slower"));
    }

    @Test
    void identical_reports_show_no_change_and_do_not_regress() {
        JsonNode report = ReportDiff.read(written("same", RunResultTestCase.conformant()));
        ReportDiff diff = ReportDiff.compare(report, "a", report, "b");
        assertThat(diff.regressed()).isFalse();
        assertThat(diff.outcomes()).isEmpty();
        assertThat(diff.timings()).isEmpty();
        assertThat(diff.fields()).isEmpty();
        assertThat(diff.toText()).contains("Verdict: CONFORMANT (unchanged)").contains("Outcome unchanged: 31 requirements")
                .contains("Identity and versions: unchanged").endsWith("No requirement regressed.\n");
    }

    @Test
    void an_improvement_a_new_payload_exec_build_and_a_new_kit_are_shown_without_regressing() {
        // GIVEN a failing report, then a conformant one from another payload_exec build, kit and host key
        JsonNode old = ReportDiff.read(written("old", RunResultTestCase.notConformant()));
        ObjectNode neu = (ObjectNode) ReportDiff.read(written("new", RunResultTestCase.conformant()));
        ((ObjectNode) neu.path("target")).put("payloadExecSha256", "ab".repeat(32));
        ((ObjectNode) neu.path("target")).put("address", "10.0.0.2:22");
        neu.put("kitVersion", "0.2.0");

        ReportDiff diff = ReportDiff.compare(old, "old", neu, "new");

        assertThat(diff.regressed()).isFalse();
        assertThat(diff.outcomes()).filteredOn(ReportDiff.OutcomeChange::improved)
                .extracting(ReportDiff.OutcomeChange::id).contains("SIG-CONF-001");
        assertThat(diff.timings()).hasSize(2).allSatisfy(t -> assertThat(t.slower()).isFalse());
        assertThat(diff.fields()).extracting(ReportDiff.FieldChange::field)
                .containsExactly("payload_exec SHA-256", "kit version", "target address");
        assertThat(diff.toText()).contains("  payload_exec SHA-256: " + RunResultTestCase.SHA + " -> " + "ab".repeat(32));
    }

    @Test
    void a_waived_failure_where_there_was_a_pass_is_a_regression() {
        ObjectNode old = (ObjectNode) ReportDiff.read(written("old", RunResultTestCase.conformant()));
        JsonNode neu = ReportDiff.read(written("new", RunResultTestCase.waived()));
        ReportDiff diff = ReportDiff.compare(old, "old", neu, "new");
        assertThat(diff.regressions()).extracting(c -> c.id() + " " + c.newOutcome()).containsExactly("SIG-CFG-003 WAIVED");
    }

    @Test
    void the_noise_rule_needs_both_a_factor_of_two_and_100_ms() {
        assertThat(ReportDiff.moved(300, 600)).isTrue();
        assertThat(ReportDiff.moved(300, 590)).isFalse();
        assertThat(ReportDiff.moved(600, 300)).isTrue();
        assertThat(ReportDiff.moved(40, 120)).isFalse(); // tripled, but only 80 ms: noise
        assertThat(ReportDiff.moved(40, 140)).isTrue();
        assertThat(ReportDiff.median(java.util.List.of(5.0, 1.0, 3.0, 100.0))).isEqualTo(4.0);
    }

    @Test
    void unreadable_and_foreign_input_is_one_line_naming_the_file() throws Exception {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> ReportDiff.read(missing)).isInstanceOf(ReportDiff.InputException.class)
                .hasMessage("cannot read report " + missing + ": no such file or directory");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThatThrownBy(() -> ReportDiff.read(empty)).hasMessage("report directory " + empty + " has no report.json");
        Path notJson = Files.writeString(dir.resolve("report.json"), "{\"verdict\": \"CONFORMANT\",\n  oops }");
        assertThatThrownBy(() -> ReportDiff.read(notJson)).hasMessageStartingWith(notJson + ":2:")
                .hasMessageNotContaining("\n");
        Path foreign = Files.writeString(dir.resolve("other.json"), "{\"name\": \"not a report\"}");
        assertThatThrownBy(() -> ReportDiff.read(foreign)).hasMessageStartingWith(foreign.toString())
                .hasMessageContaining("required").hasMessageEndingWith("(not a sigkit report.json, version 1)");
    }
}
