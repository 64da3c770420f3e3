package io.sigkit.waiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.run.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading waivers.v1 files (JSON and YAML) and applying waivers to results, without a payload. */
class WaiversTests {
    private static final RequirementCatalog CATALOG = RequirementCatalog.load();
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 30);
    private static final String SHA = "ab".repeat(32);
    private static final String OTHER_SHA = "cd".repeat(32);

    @TempDir
    Path dir;

    private static RequirementResult pass(String id) {
        return RequirementResult.of(CATALOG.get(id)).evidence("seen", "ok").pass("fine");
    }

    private static RequirementResult fail(String id) {
        return RequirementResult.of(CATALOG.get(id)).evidence("seen", "bad").fail("it broke", "works", "broke");
    }

    private static Waivers waivers(Waiver... entries) {
        return Waivers.of("test", List.of(entries), CATALOG);
    }

    private static Waiver waiver(String id, LocalDate expires, String sha) {
        return new Waiver(id, "accepted for FM-3", "J. Doe (customer QA)", expires, sha);
    }

    @Test
    void a_yaml_file_with_every_field_is_read() throws Exception {
        // GIVEN a YAML waivers file with a bound and an unbound waiver (dates unquoted, as people write them)
        Path file = Files.writeString(dir.resolve("waivers.yaml"), """
                waivers:
                  - id: SIG-CFG-003
                    reason: unknown keys are rejected on purpose; fixed in build 42
                    approvedBy: J. Doe (customer QA)
                    expires: 2027-01-31
                    payloadExecSha256: %s
                  - id: SIG-FS-006
                    reason: lab image only
                    approvedBy: R. Roe
                    expires: 2026-12-31
                """.formatted(SHA.toUpperCase()));

        // WHEN it is loaded
        Waivers w = Waivers.load(file, CATALOG);

        // THEN both entries are there, the hash in lowercase, the date a date
        assertThat(w.source()).isEqualTo(file.toString());
        assertThat(w.entries()).containsExactly(
                new Waiver("SIG-CFG-003", "unknown keys are rejected on purpose; fixed in build 42",
                        "J. Doe (customer QA)", LocalDate.of(2027, 1, 31), SHA),
                new Waiver("SIG-FS-006", "lab image only", "R. Roe", LocalDate.of(2026, 12, 31), null));
    }

    @Test
    void a_json_file_is_read_and_its_schema_errors_name_file_line_and_pointer() throws Exception {
        Path good = Files.writeString(dir.resolve("w.json"), """
                {"waivers": [{"id": "SIG-CFG-003", "reason": "r", "approvedBy": "a", "expires": "2027-01-31"}]}
                """);
        assertThat(Waivers.load(good, CATALOG).entries()).extracting(Waiver::id).containsExactly("SIG-CFG-003");

        // GIVEN a JSON file whose date is not a date
        Path bad = Files.writeString(dir.resolve("bad.json"), """
                {"waivers": [
                  {"id": "SIG-CFG-003", "reason": "r", "approvedBy": "a", "expires": "31/01/2027"}
                ]}
                """);
        // THEN one line naming the file, its line and the field
        assertThatThrownBy(() -> Waivers.load(bad, CATALOG)).isInstanceOf(WaiverFileException.class)
                .hasMessageStartingWith("waivers file " + bad + ":2:")
                .hasMessageContaining("/waivers/0/expires").hasMessageNotContaining("\n");
    }

    @Test
    void an_unknown_requirement_id_is_an_error_naming_it() throws Exception {
        Path file = Files.writeString(dir.resolve("w.yml"), """
                waivers:
                  - {id: SIG-CFG-003, reason: r, approvedBy: a, expires: 2027-01-31}
                  - {id: SIG-XYZ-999, reason: r, approvedBy: a, expires: 2027-01-31}
                """);
        assertThatThrownBy(() -> Waivers.load(file, CATALOG)).isInstanceOf(WaiverFileException.class)
                .hasMessage("waivers file " + file + " /waivers/1/id: SIG-XYZ-999 is not a requirement of catalog "
                        + CATALOG.version() + " (see 'sigkit list')");
    }

    @Test
    void missing_fields_a_typo_bad_yaml_and_a_missing_file_are_one_line_errors() throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), """
                waivers:
                  - {id: SIG-CFG-003, reason: r, approvedBy: a, expiry: 2027-01-31}
                """);
        assertThatThrownBy(() -> Waivers.load(typo, CATALOG)).hasMessageStartingWith("waivers file " + typo)
                .hasMessageContaining("/waivers/0").hasMessageContaining("more error").hasMessageNotContaining("\n");
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "waivers: [ {id: SIG-CFG-003\n");
        assertThatThrownBy(() -> Waivers.load(broken, CATALOG)).hasMessageStartingWith("waivers file " + broken)
                .hasMessageContaining("is not YAML").hasMessageNotContaining("\n");
        Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
        assertThatThrownBy(() -> Waivers.load(empty, CATALOG)).hasMessage("waivers file " + empty
                + " is empty: it needs a 'waivers' list");
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> Waivers.load(missing, CATALOG)).hasMessage("waivers file " + missing
                + " does not exist or is not a readable file");
    }

    @Test
    void a_waived_failure_keeps_message_and_evidence_and_the_verdict_is_conformant_with_waivers() {
        // GIVEN a run whose only failure is a REQUIRED requirement, and a valid waiver for it
        RequirementResult failed = fail("SIG-CFG-003");
        List<RequirementResult> results = List.of(pass("SIG-CFG-001"), failed);

        // WHEN the waiver is applied
        Waivers.Applied applied = waivers(waiver("SIG-CFG-003", TODAY, null)).apply(results, SHA, TODAY);

        // THEN the failure is WAIVED with everything else as it was, and the verdict says so
        RequirementResult waived = applied.results().get(1);
        assertThat(waived.outcome()).isEqualTo(Outcome.WAIVED);
        assertThat(waived.message()).isEqualTo(failed.message());
        assertThat(waived.expected()).isEqualTo("works");
        assertThat(waived.actual()).isEqualTo("broke");
        assertThat(waived.evidence()).isEqualTo(failed.evidence());
        assertThat(applied.decisions()).singleElement().satisfies(d -> {
            assertThat(d.status()).isEqualTo(WaiverDecision.Status.APPLIED);
            assertThat(d.note()).contains("SIG-CFG-003 failed");
        });
        assertThat(Verdict.of(applied.results(), false)).isEqualTo(Verdict.CONFORMANT_WITH_WAIVERS);
        assertThat(Verdict.of(results, false)).isEqualTo(Verdict.NOT_CONFORMANT);
    }

    @Test
    void an_expired_waiver_is_not_applied_and_says_so() {
        // GIVEN a waiver whose last day was yesterday
        List<RequirementResult> results = List.of(fail("SIG-CFG-003"));
        Waivers.Applied applied = waivers(waiver("SIG-CFG-003", TODAY.minusDays(1), null)).apply(results, SHA, TODAY);
        // THEN the failure stays, and the decision names the date
        assertThat(applied.results()).isEqualTo(results);
        assertThat(applied.decisions().get(0).status()).isEqualTo(WaiverDecision.Status.EXPIRED);
        assertThat(applied.decisions().get(0).note()).isEqualTo("expired on 2026-11-29 (the run is judged on 2026-11-30,"
                + " UTC): not applied; SIG-CFG-003 stays FAIL");
        assertThat(Verdict.of(applied.results(), false)).isEqualTo(Verdict.NOT_CONFORMANT);
        // AND on its expiry day it still applies
        assertThat(waivers(waiver("SIG-CFG-003", TODAY, null)).apply(results, SHA, TODAY).decisions().get(0).applied())
                .isTrue();
    }

    @Test
    void a_waiver_bound_to_another_payload_exec_or_to_an_unknown_one_is_not_applied() {
        List<RequirementResult> results = List.of(fail("SIG-CFG-003"));
        Waivers bound = waivers(waiver("SIG-CFG-003", TODAY, OTHER_SHA));

        Waivers.Applied other = bound.apply(results, SHA, TODAY);
        assertThat(other.results().get(0).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(other.decisions().get(0).status()).isEqualTo(WaiverDecision.Status.OTHER_PAYLOAD_EXEC);
        assertThat(other.decisions().get(0).note()).contains(OTHER_SHA).contains("the certified payload_exec is " + SHA);

        Waivers.Applied unknown = bound.apply(results, "", TODAY);
        assertThat(unknown.results().get(0).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(unknown.decisions().get(0).status()).isEqualTo(WaiverDecision.Status.PAYLOAD_EXEC_UNKNOWN);

        // AND bound to the certified build (in any case), it applies
        Waivers.Applied same = waivers(waiver("SIG-CFG-003", TODAY, SHA.toUpperCase())).apply(results, SHA, TODAY);
        assertThat(same.results().get(0).outcome()).isEqualTo(Outcome.WAIVED);
    }

    @Test
    void a_waiver_of_a_pass_or_an_error_is_unused() {
        RequirementResult error = RequirementResult.of(CATALOG.get("SIG-CONF-001")).error("lost the connection");
        Waivers.Applied applied = waivers(waiver("SIG-CFG-001", TODAY, null), waiver("SIG-CONF-001", TODAY, null))
                .apply(List.of(pass("SIG-CFG-001"), error), SHA, TODAY);
        assertThat(applied.results()).extracting(RequirementResult::outcome).containsExactly(Outcome.PASS, Outcome.ERROR);
        assertThat(applied.decisions()).extracting(WaiverDecision::status)
                .containsExactly(WaiverDecision.Status.UNUSED, WaiverDecision.Status.UNUSED);
        assertThat(applied.decisions().get(1).note()).contains("is ERROR, not FAIL");
    }

    @Test
    void of_two_waivers_for_one_requirement_the_first_that_applies_is_used() {
        // GIVEN an expired waiver, then a current one, then another current one, for the same failure
        Waivers.Applied applied = waivers(waiver("SIG-CFG-003", TODAY.minusDays(3), null),
                waiver("SIG-CFG-003", TODAY.plusDays(3), null), waiver("SIG-CFG-003", TODAY.plusDays(9), null))
                .apply(List.of(fail("SIG-CFG-003")), SHA, TODAY);
        // THEN the second is applied, the first reported expired, the third unused
        assertThat(applied.results().get(0).outcome()).isEqualTo(Outcome.WAIVED);
        assertThat(applied.decisions()).extracting(WaiverDecision::status).containsExactly(
                WaiverDecision.Status.EXPIRED, WaiverDecision.Status.APPLIED, WaiverDecision.Status.UNUSED);
        assertThat(applied.decisions().get(2).note()).isEqualTo("SIG-CFG-003 is already waived by an earlier entry");
    }

    @Test
    void a_waived_recommended_requirement_counts_only_under_strict() {
        // GIVEN every REQUIRED result passing and a waived RECOMMENDED failure
        List<RequirementResult> results = waivers(waiver("SIG-FS-006", TODAY, null))
                .apply(List.of(pass("SIG-FS-001"), fail("SIG-FS-006")), SHA, TODAY).results();
        // THEN without strict the waiver is not needed for the verdict; under strict it is
        assertThat(Verdict.of(results, false)).isEqualTo(Verdict.CONFORMANT);
        assertThat(Verdict.of(results, true)).isEqualTo(Verdict.CONFORMANT_WITH_WAIVERS);
        // AND a REQUIRED requirement not evaluated still makes it incomplete, waiver or not
        RequirementResult notVerified = RequirementResult.of(CATALOG.get("SIG-TIME-002")).notVerified("--allow-clock-set", "off");
        List<RequirementResult> withOpen = new java.util.ArrayList<>(results);
        withOpen.add(notVerified);
        assertThat(Verdict.of(withOpen, true)).isEqualTo(Verdict.INCOMPLETE);
    }
}
