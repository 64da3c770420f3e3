package io.sigkit.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequirementIdsCopyTests {

    @Test
    void the_in_repo_copy_equals_the_ids_of_requirements_md() {
        // GIVEN the live REQUIREMENTS.md (absent in a clean checkout, where the copy stands in for it)
        Path live = RequirementsFile.live();
        assumeTrue(live != null, "shared spec folder absent (sigkit.shared.dir): nothing to compare the copy with");

        // WHEN its IDs are read
        List<String> liveIds = List.copyOf(RequirementsFile.levels(live).keySet());

        // THEN the copy kept in schemas/src/test/resources has exactly them, in the same order
        assertThat(liveIds).as("IDs of %s", live).hasSizeGreaterThanOrEqualTo(31);
        assertThat(RequirementsFile.copiedIds())
                .as("schemas/src/test/resources/%s must list the IDs of %s, in order: update the copy", RequirementsFile.COPY, live)
                .containsExactlyElementsOf(liveIds);
    }

    @Test
    void the_copy_is_well_formed() {
        assertThat(RequirementsFile.copiedIds())
                .isNotEmpty()
                .doesNotHaveDuplicates()
                .allMatch(id -> id.matches("SIG-[A-Z]+-[0-9]{3}"), "reads SIG-<AREA>-<three digits>");
    }
}
