package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.catalog.Requirement;
import io.sigkit.catalog.RequirementCatalog;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheckRegistryTests {

    private final RequirementCatalog catalog = RequirementCatalog.load();

    @Test
    void every_catalog_requirement_has_exactly_one_check() {
        // GIVEN the catalog and the registry
        List<String> checkIds = Checks.inExecutionOrder().stream().map(CheckDefinition::id).toList();
        // THEN each catalog ID appears exactly once among the checks
        for (Requirement r : catalog.requirements()) {
            assertThat(checkIds).as("checks for %s", r.id()).containsOnlyOnce(r.id());
        }
    }

    @Test
    void every_check_names_one_catalog_requirement() {
        Set<String> catalogIds = new HashSet<>();
        catalog.requirements().forEach(r -> catalogIds.add(r.id()));
        List<String> checkIds = Checks.inExecutionOrder().stream().map(CheckDefinition::id).toList();
        assertThat(checkIds).doesNotHaveDuplicates();
        assertThat(catalogIds).containsAll(checkIds);
        assertThat(checkIds).hasSameSizeAs(catalogIds);
    }

    @Test
    void prerequisites_are_catalog_ids_that_run_earlier() {
        List<CheckDefinition> checks = Checks.inExecutionOrder();
        Set<String> seen = new HashSet<>();
        for (CheckDefinition c : checks) {
            for (String p : c.prerequisites()) {
                assertThat(seen).as("%s depends on %s, which must run before it", c.id(), p).contains(p);
            }
            seen.add(c.id());
        }
    }

    @Test
    void every_profile_has_exactly_one_check_per_requirement_and_the_destructive_one_last() {
        for (String profile : catalog.profileNames()) {
            // GIVEN a profile's requirements and checks
            List<String> required = catalog.requirements(profile).stream().map(Requirement::id).toList();
            List<CheckDefinition> checks = Checks.inExecutionOrder(profile);

            // THEN they name each other exactly once, prerequisites run earlier, and the shutdown is last
            assertThat(checks).extracting(CheckDefinition::id).as(profile).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(required);
            Set<String> seen = new HashSet<>();
            for (CheckDefinition c : checks) {
                assertThat(seen).as("%s (%s) depends on %s", c.id(), profile, c.prerequisites()).containsAll(c.prerequisites());
                seen.add(c.id());
            }
            assertThat(checks.get(checks.size() - 1).id()).as(profile).isEqualTo(Checks.AFTER_CLEANUP);
        }
        assertThat(Checks.inExecutionOrder("delivery")).extracting(CheckDefinition::id)
                .contains("SIG-DLV-001", "SIG-DLV-002");
        assertThat(Checks.inExecutionOrder()).extracting(CheckDefinition::id).noneMatch(id -> id.startsWith("SIG-DLV-"));
    }

    @Test
    void the_destructive_check_runs_last() {
        List<CheckDefinition> checks = Checks.inExecutionOrder();
        assertThat(checks.get(checks.size() - 1).id()).isEqualTo(Checks.AFTER_CLEANUP);
        assertThat(catalog.get(Checks.AFTER_CLEANUP).tier()).isEqualTo(io.sigkit.catalog.Tier.DESTRUCTIVE);
    }
}
