package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sigkit.catalog.Level;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.run.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequirementResultTests {
    private final RequirementCatalog catalog = RequirementCatalog.load();

    @Test
    void a_failure_names_its_requirement_and_carries_the_catalog_hints() {
        RequirementResult r = RequirementResult.of(catalog.get("SIG-CONF-002"))
                .evidence("runs", List.of("#1 exited 0 after 15.8 s"))
                .fail("configure for window 2100000000 ran 15.80 s (budget 15.00 s)", "within 15 s", "15.80 s");
        assertThat(r.message()).startsWith("[SIG-CONF-002] configure for window 2100000000 ran 15.80 s");
        assertThat(r.message()).contains("If this fails, check:");
        assertThat(r.expected()).isEqualTo("within 15 s");
        assertThat(r.actual()).isEqualTo("15.80 s");
        assertThat(r.level()).as("the spec's \"should\" (see the catalog's levelNote)").isEqualTo(Level.RECOMMENDED);
    }

    @Test
    void a_pass_without_evidence_is_refused() {
        assertThatThrownBy(() -> RequirementResult.of(catalog.get("SIG-ENV-001")).pass("runs Linux"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("evidence");
    }

    @Test
    void skipped_names_the_blocking_requirement_and_not_verified_names_the_flag() {
        RequirementResult skipped = RequirementResult.of(catalog.get("SIG-FS-002")).skipped("SIG-FS-001", "SIG-FS-001 is FAIL");
        assertThat(skipped.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(skipped.blockedBy()).isEqualTo("SIG-FS-001");
        assertThat(skipped.message()).contains("blocked by SIG-FS-001");
        RequirementResult nv = RequirementResult.of(catalog.get("SIG-TIME-002")).notVerified("--allow-clock-set", "tier off");
        assertThat(nv.enabledBy()).isEqualTo("--allow-clock-set");
        assertThat(nv.message()).contains("--allow-clock-set");
    }

    @Test
    void verdict_is_conformant_only_when_every_required_passes() {
        RequirementResult pass = RequirementResult.of(catalog.get("SIG-ENV-001")).evidence("uname", "Linux").pass("Linux");
        RequirementResult recommendedFail = RequirementResult.of(catalog.get("SIG-FS-006")).fail("world-writable", "a", "b");
        RequirementResult requiredFail = RequirementResult.of(catalog.get("SIG-FS-001")).fail("missing", "a", "b");
        RequirementResult notVerified = RequirementResult.of(catalog.get("SIG-TIME-002")).notVerified("--allow-clock-set", "off");
        RequirementResult requiredNotVerified = RequirementResult.of(catalog.get("SIG-FS-002")).notVerified("--include SIG-FS-002", "excluded");

        assertThat(Verdict.of(List.of(pass, recommendedFail), false)).isEqualTo(Verdict.CONFORMANT);
        assertThat(Verdict.of(List.of(pass, recommendedFail), true)).isEqualTo(Verdict.NOT_CONFORMANT);
        assertThat(Verdict.of(List.of(pass, requiredFail), false)).isEqualTo(Verdict.NOT_CONFORMANT);
        assertThat(Verdict.of(List.of(pass, requiredNotVerified), false)).isEqualTo(Verdict.INCOMPLETE);
        // a REQUIRED requirement in a tier that was not enabled leaves the verdict incomplete, never conformant
        assertThat(catalog.get("SIG-TIME-002").level()).isEqualTo(Level.REQUIRED);
        assertThat(Verdict.of(List.of(pass, notVerified), false)).isEqualTo(Verdict.INCOMPLETE);
    }
}
