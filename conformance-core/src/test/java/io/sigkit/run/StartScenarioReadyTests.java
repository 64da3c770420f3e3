package io.sigkit.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.check.RequirementResult;
import io.sigkit.transport.ConnectionSettings;
import io.sigkit.transport.SshTarget;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * When the run may start the start scenario early (its windows then run while the checks before the start checks go
 * on): only once the prerequisites of a selected start check (SIG-FS-002, SIG-CFG-002, SIG-CONF-001) are decided and
 * none blocks it, exactly as {@code decide} would then let the start check run.
 */
class StartScenarioReadyTests {
    private static final RequirementCatalog CATALOG = RequirementCatalog.load();

    private static RunOptions.Builder options() {
        return RunOptions.builder(ConnectionSettings.builder(SshTarget.parse("ssh://sigapi@127.0.0.1:2222")).useAgent(true)
                .build());
    }

    private static Map<String, RequirementResult> passed(String... ids) {
        Map<String, RequirementResult> results = new LinkedHashMap<>();
        for (String id : ids) {
            results.put(id, RequirementResult.of(CATALOG.get(id)).evidence("test", "canned result")
                    .pass("passed in this test"));
        }
        return results;
    }

    @Test
    void sig_start_checks_may_start_once_sig_conf_001_and_the_other_prerequisites_passed() {
        // GIVEN every prerequisite of the start checks passed
        Map<String, RequirementResult> results = passed("SIG-ENV-003", "SIG-FS-002", "SIG-CFG-002", "SIG-CONF-001");
        // WHEN the run asks whether the start scenario may start
        // THEN it may
        assertThat(Certification.startScenarioReady(CATALOG, results, options().build())).isTrue();
    }

    @Test
    void sig_start_checks_wait_while_sig_conf_001_is_undecided() {
        // GIVEN the configure series has not been judged yet
        Map<String, RequirementResult> results = passed("SIG-ENV-003", "SIG-FS-002", "SIG-CFG-002");
        // THEN the start scenario does not start
        assertThat(Certification.startScenarioReady(CATALOG, results, options().build())).isFalse();
    }

    @Test
    void sig_start_checks_never_start_early_when_sig_conf_001_failed() {
        // GIVEN configure of the main window failed (the start checks will be SKIPPED)
        Map<String, RequirementResult> results = passed("SIG-ENV-003", "SIG-FS-002", "SIG-CFG-002");
        results.put("SIG-CONF-001", RequirementResult.of(CATALOG.get("SIG-CONF-001")).evidence("test", "canned result")
                .fail("configure exited 1 in this test", "exit status 0", "exited 1"));
        // THEN no window is started
        assertThat(Certification.startScenarioReady(CATALOG, results, options().build())).isFalse();
    }

    @Test
    void an_unselected_prerequisite_does_not_hold_sig_start_checks_back_as_decide_does_not() {
        // GIVEN SIG-CFG-002 was not selected (NOT_VERIFIED does not block a check)
        Map<String, RequirementResult> results = passed("SIG-ENV-003", "SIG-FS-002", "SIG-CONF-001");
        results.put("SIG-CFG-002", RequirementResult.of(CATALOG.get("SIG-CFG-002"))
                .notVerified("--include SIG-CFG-002", "not selected for this run"));
        // THEN the start scenario may start
        assertThat(Certification.startScenarioReady(CATALOG, results, options().build())).isTrue();
    }

    @Test
    void no_window_starts_early_when_no_start_check_is_selected() {
        // GIVEN the start checks are excluded
        Map<String, RequirementResult> results = passed("SIG-ENV-003", "SIG-FS-002", "SIG-CFG-002", "SIG-CONF-001");
        RunOptions o = options().exclude("SIG-START-001").exclude("SIG-START-002").exclude("SIG-START-003")
                .exclude("SIG-START-004").exclude("SIG-START-005").build();
        // THEN the start scenario does not start
        assertThat(Certification.startScenarioReady(CATALOG, results, o)).isFalse();
    }
}
