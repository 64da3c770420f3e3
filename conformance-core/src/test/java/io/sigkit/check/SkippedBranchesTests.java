package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.catalog.RequirementCatalog;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The SKIPPED branch of the facts-based checks: a check whose prerequisite failed, was ERROR or was itself skipped
 * is not run, and its result names the root cause ({@link Checks#blocked}, as a run decides it).
 */
class SkippedBranchesTests {
    private static final RequirementCatalog CATALOG = RequirementCatalog.load();

    private static CheckDefinition definition(String id) {
        return Checks.inExecutionOrder().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    private static RequirementResult failed(String id) {
        return RequirementResult.of(CATALOG.get(id)).fail("[canned] " + id + " failed", "x", "y");
    }

    /** The result of {@code id} when {@code prerequisite} has this result and everything else passed. */
    private static Optional<RequirementResult> skipped(String id, RequirementResult prerequisite) {
        Map<String, RequirementResult> results = new HashMap<>();
        results.put(prerequisite.id(), prerequisite);
        return Checks.blocked(definition(id), CATALOG.get(id), results::get);
    }

    private static void assertSkipped(String id, String prerequisite) {
        Optional<RequirementResult> r = skipped(id, failed(prerequisite));
        assertThat(r).as("%s blocked by a failed %s", id, prerequisite).isPresent();
        assertThat(r.get().outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(r.get().blockedBy()).isEqualTo(prerequisite);
        assertThat(r.get().message()).startsWith("[" + id + "]").contains(prerequisite + " is FAIL");
    }

    @Test
    void SIG_ENV_003_is_skipped_when_SIG_ENV_002_fails() {
        assertSkipped("SIG-ENV-003", "SIG-ENV-002");
    }

    @Test
    void SIG_ENV_001_is_skipped_when_SIG_ENV_003_fails() {
        assertSkipped("SIG-ENV-001", "SIG-ENV-003");
    }

    @Test
    void SIG_ENV_004_is_skipped_when_SIG_ENV_003_fails() {
        assertSkipped("SIG-ENV-004", "SIG-ENV-003");
    }

    @Test
    void SIG_FS_001_is_skipped_when_SIG_ENV_003_fails() {
        assertSkipped("SIG-FS-001", "SIG-ENV-003");
    }

    @Test
    void SIG_FS_002_is_skipped_when_SIG_FS_001_fails() {
        assertSkipped("SIG-FS-002", "SIG-FS-001");
    }

    @Test
    void SIG_FS_003_is_skipped_when_SIG_ENV_003_fails() {
        assertSkipped("SIG-FS-003", "SIG-ENV-003");
    }

    @Test
    void SIG_FS_004_is_skipped_when_SIG_ENV_003_fails() {
        assertSkipped("SIG-FS-004", "SIG-ENV-003");
    }

    @Test
    void SIG_FS_006_is_skipped_when_SIG_FS_001_fails() {
        assertSkipped("SIG-FS-006", "SIG-FS-001");
    }

    @Test
    void SIG_PRIV_001_is_skipped_when_SIG_ENV_003_fails() {
        assertSkipped("SIG-PRIV-001", "SIG-ENV-003");
    }

    @Test
    void SIG_PRIV_002_is_skipped_when_SIG_ENV_003_fails() {
        assertSkipped("SIG-PRIV-002", "SIG-ENV-003");
    }

    @Test
    void SIG_TIME_001_is_skipped_when_SIG_ENV_003_fails() {
        assertSkipped("SIG-TIME-001", "SIG-ENV-003");
    }

    @Test
    void SIG_TIME_002_is_skipped_when_SIG_PRIV_001_fails() {
        assertSkipped("SIG-TIME-002", "SIG-PRIV-001");
    }

    @Test
    void SIG_END_001_is_skipped_when_SIG_PRIV_002_fails() {
        assertSkipped("SIG-END-001", "SIG-PRIV-002");
    }

    @Test
    void SIG_CFG_001_is_skipped_when_SIG_FS_004_fails() {
        assertSkipped("SIG-CFG-001", "SIG-FS-004");
    }

    @Test
    void SIG_CFG_002_is_skipped_when_SIG_FS_004_fails() {
        assertSkipped("SIG-CFG-002", "SIG-FS-004");
    }

    @Test
    void a_skip_names_the_root_cause_through_a_skipped_prerequisite() {
        // GIVEN SIG-FS-001 skipped because SIG-ENV-003 failed
        RequirementResult fs001 = skipped("SIG-FS-001", failed("SIG-ENV-003")).orElseThrow();
        // WHEN SIG-FS-002 (which needs SIG-FS-001) is decided
        RequirementResult fs002 = skipped("SIG-FS-002", fs001).orElseThrow();
        // THEN it is blocked by the root cause, and says its own prerequisite could not run
        assertThat(fs002.blockedBy()).isEqualTo("SIG-ENV-003");
        assertThat(fs002.message()).contains("SIG-FS-001 could not run");
    }

    @Test
    void an_error_prerequisite_blocks_too_and_a_passed_one_does_not() {
        RequirementResult error = RequirementResult.of(CATALOG.get("SIG-ENV-003")).error("[canned] no answer");
        assertThat(skipped("SIG-ENV-001", error)).hasValueSatisfying(r -> assertThat(r.message()).contains("SIG-ENV-003 is ERROR"));
        RequirementResult pass = RequirementResult.of(CATALOG.get("SIG-ENV-003")).evidence("canned", true).pass("[canned] ok");
        assertThat(skipped("SIG-ENV-001", pass)).isEmpty();
    }
}
