package io.sigkit.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.SharedSpec;
import io.sigkit.schemas.ValidationReport;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequirementCatalogTests {

    private final RequirementCatalog catalog = RequirementCatalog.load();

    @Test
    void the_catalog_data_satisfies_its_schema() throws Exception {
        // GIVEN the catalog resource, as text
        String text;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RequirementCatalog.RESOURCE)) {
            assertThat(in).as(RequirementCatalog.RESOURCE).isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        // WHEN it is validated against catalog.schema.json
        ValidationReport report = SchemaValidator.of(SchemaId.CATALOG).validateText(text, RequirementCatalog.RESOURCE);

        // THEN it satisfies it
        assertThat(report.errors()).as(report.describe()).isEmpty();
    }

    @Test
    void the_catalog_holds_exactly_the_ids_of_requirements_md() {
        // GIVEN the IDs of REQUIREMENTS.md (the live file when the shared folder is present, else the in-repo copy)
        var expected = RequirementsFile.expectedIds();

        // THEN the catalog has exactly these, in the same order: adding or removing an ID there fails here
        assertThat(catalog.requirements())
                .extracting(Requirement::id)
                .as("requirement IDs of %s vs %s", RequirementCatalog.RESOURCE,
                        RequirementsFile.live() != null ? RequirementsFile.live() : RequirementsFile.COPY)
                .containsExactlyElementsOf(expected);
    }

    /** Where REQUIREMENTS.md is stronger than the spec's own words; each one's levelNote quotes the spec. */
    private static final java.util.Set<String> SPEC_WINS = java.util.Set.of("SIG-CONF-002");

    private static String levelNote(String id) {
        try (var in = RequirementCatalog.class.getClassLoader().getResourceAsStream(RequirementCatalog.RESOURCE)) {
            for (var r : new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).path("requirements")) {
                if (r.path("id").asText().equals(id)) {
                    return r.path("levelNote").asText("");
                }
            }
            return "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void levels_are_those_of_requirements_md() {
        Path live = RequirementsFile.live();
        assumeTrue(live != null, "shared spec folder absent: levels are checked against the live REQUIREMENTS.md only");

        for (Map.Entry<String, String> row : RequirementsFile.levels(live).entrySet()) {
            Requirement requirement = catalog.get(row.getKey());
            if (row.getValue().equals("INFO + RECOMMENDED")) {
                // modelled as RECOMMENDED, also reported as a measurement
                assertThat(requirement.level()).as(row.getKey()).isEqualTo(Level.RECOMMENDED);
                assertThat(requirement.alsoMeasured()).as(row.getKey() + " alsoMeasured").isTrue();
            } else if (SPEC_WINS.contains(row.getKey())) {
                // the spec words it more weakly than REQUIREMENTS.md: the spec wins, and the catalog says why
                assertThat(requirement.level().name()).as(row.getKey()).isNotEqualTo(row.getValue());
                assertThat(levelNote(row.getKey())).as(row.getKey() + " levelNote").contains("the spec wins");
            } else {
                assertThat(requirement.level().name()).as(row.getKey()).isEqualTo(row.getValue());
                assertThat(requirement.alsoMeasured()).as(row.getKey() + " alsoMeasured").isFalse();
            }
        }
    }

    @Test
    void spec_words_are_quoted_exactly_from_the_spec() throws Exception {
        Path spec = SharedSpec.file("payload-signaling-api-v1.0.txt");
        assumeTrue(spec != null, "shared spec folder absent: quotes are checked against the live spec only");
        String text = Files.readString(spec, StandardCharsets.UTF_8);

        assertThat(catalog.requirements()).allSatisfy(requirement -> requirement.specWordsIfStated()
                .ifPresent(words -> assertThat(text).as("%s specWords must be an exact quote of %s", requirement.id(), spec)
                        .contains(words)));
        assertThat(catalog.requirements()).filteredOn(r -> r.specWords() != null).hasSizeGreaterThan(20);
    }

    @Test
    void versions_and_reserved_window_ids_are_those_of_the_contract() {
        assertThat(catalog.version()).matches("[0-9]+\\.[0-9]+\\.[0-9]+");
        assertThat(catalog.specVersion()).isEqualTo("1.0");

        assertThat(catalog.ordinaryWindowIds()).isEqualTo(new WindowIdRange(2_100_000_000L, 2_100_999_999L));
        assertThat(catalog.ordinaryWindowIds().last()).isLessThanOrEqualTo(Integer.MAX_VALUE);

        assertThat(catalog.wideWindowIds()).isEqualTo(new WindowIdRange(9_000_000_000_000_000_000L, 9_000_000_000_999_999_999L));
        assertThat(catalog.wideWindowIds().first()).isGreaterThan(1L << 53).isGreaterThan(1L << 32);
        assertThat(catalog.wideWindowIds().last()).isLessThan(Long.MAX_VALUE);
        assertThat(catalog.wideWindowIds().contains(9_000_000_000_000_000_001L)).isTrue();
        assertThat(catalog.wideWindowIds().contains(1304893L)).isFalse();
        assertThat(catalog.ordinaryWindowIds().size()).isEqualTo(1_000_000L);
    }

    @Test
    void tiers_and_their_flags() {
        assertThat(catalog.enablingFlag(Tier.READ_ONLY)).isEmpty();
        assertThat(catalog.enablingFlag(Tier.BUS_EQUIVALENT)).isEmpty();
        assertThat(catalog.enablingFlag(Tier.REVERSIBLE)).contains("--allow-clock-set");
        assertThat(catalog.enablingFlag(Tier.DESTRUCTIVE)).contains("--allow-destructive");

        assertThat(catalog.get("SIG-END-001").tier()).isEqualTo(Tier.DESTRUCTIVE);
        assertThat(catalog.get("SIG-TIME-002").tier()).isEqualTo(Tier.REVERSIBLE);
        assertThat(catalog.get("SIG-ENV-001").tier()).isEqualTo(Tier.READ_ONLY);
        assertThat(catalog.get("SIG-CONF-001").tier()).isEqualTo(Tier.BUS_EQUIVALENT);
        assertThat(catalog.requirements()).filteredOn(r -> r.tier() == Tier.DESTRUCTIVE).extracting(Requirement::id)
                .containsExactly("SIG-END-001");
    }

    @Test
    void time_001_is_recommended_and_also_measured() {
        Requirement time = catalog.get("SIG-TIME-001");

        assertThat(time.level()).isEqualTo(Level.RECOMMENDED);
        assertThat(time.alsoMeasured()).isTrue();
        assertThat(catalog.requirements()).filteredOn(Requirement::alsoMeasured).containsExactly(time);
    }

    @Test
    void every_tag_is_used_and_lookups_by_tag_work() {
        assertThat(catalog.knownTags()).containsExactly(
                "environment", "filesystem", "privilege", "config", "configure", "start", "end", "time", "timing",
                "delivery");
        for (String tag : catalog.knownTags()) {
            assertThat(catalog.withTag(tag)).as("requirements tagged %s", tag).isNotEmpty().allMatch(r -> r.hasTag(tag));
        }
        assertThat(catalog.withTag("timing")).extracting(Requirement::id)
                .contains("SIG-CONF-002", "SIG-START-001", "SIG-TIME-001");
        assertThat(catalog.withTag("environment")).extracting(Requirement::id)
                .containsExactly("SIG-ENV-001", "SIG-ENV-002", "SIG-ENV-003", "SIG-ENV-004");
    }

    @Test
    void an_unknown_tag_is_refused_naming_it() {
        assertThatThrownBy(() -> catalog.withTag("timng"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'timng'")
                .hasMessageContaining("timing");
    }

    @Test
    void find_and_get() {
        assertThat(catalog.find("SIG-CONF-002")).hasValueSatisfying(r -> {
            assertThat(r.level()).isEqualTo(Level.RECOMMENDED);
            assertThat(r.displayName()).isEqualTo("SIG-CONF-002 [RECOMMENDED] configure completes within 15 seconds");
            assertThat(r.specWords()).contains("within 15 seconds or less");
        });
        assertThat(catalog.find("SIG-CONF-999")).isEmpty();
        assertThatThrownBy(() -> catalog.get("SIG-CONF-999"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SIG-CONF-999");
    }

    @Test
    void hints_point_the_payload_developer_at_likely_causes() {
        assertThat(catalog.requirements()).allSatisfy(r -> assertThat(r.hints()).as(r.id()).isNotEmpty());
        assertThat(String.join(" ", catalog.get("SIG-START-001").hints()))
                .contains("&>").contains("POSIX sh").contains("bash").contains("login shell");
        assertThat(String.join(" ", catalog.get("SIG-FS-002").hints())).contains("\\r");
        assertThat(String.join(" ", catalog.get("SIG-PRIV-001").hints())).contains("requiretty").contains("NOPASSWD");
    }

    @Test
    void derived_requirements_have_no_spec_words() {
        assertThat(catalog.requirements()).filteredOn(r -> r.specWords() == null).extracting(Requirement::id)
                .contains("SIG-FS-006", "SIG-CONF-004", "SIG-CONF-005", "SIG-TIME-001")
                .allSatisfy(id -> assertThat(catalog.get(id).specWordsIfStated()).isEmpty());
    }

    @Test
    void groups_are_in_report_order_with_a_heading_each_and_cover_every_requirement() {
        assertThat(catalog.groups().keySet()).containsExactly("SIG-ENV", "SIG-FS", "SIG-PRIV", "SIG-CFG", "SIG-CONF",
                "SIG-START", "SIG-END", "SIG-TIME", "SIG-DLV");
        assertThat(catalog.groups()).containsEntry("SIG-CONF", "Configure signal").containsEntry("SIG-CFG", "Window configs");
        catalog.profileNames().forEach(profile -> assertThat(catalog.requirements(profile))
                .allSatisfy(r -> assertThat(catalog.groups()).containsKey(r.group())));
        assertThat(catalog.get("SIG-START-006").group()).isEqualTo("SIG-START");
        assertThatThrownBy(() -> catalog.groups().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void the_timing_chart_is_that_of_configure_timing() {
        assertThat(catalog.timingChart()).hasValueSatisfying(chart -> {
            assertThat(chart.requirementId()).isEqualTo("SIG-CONF-002");
            assertThat(chart.samples()).isEqualTo("configure timings");
            assertThat(chart.caption()).startsWith("Every configure timing of SIG-CONF-002, measured at the kit");
        });
    }

    @Test
    void load_returns_the_shared_catalog() {
        assertThat(RequirementCatalog.load()).isSameAs(catalog);
        assertThat(catalog.toString()).contains("31 requirements").contains("1.0");
    }

    @Test
    void the_model_is_immutable() {
        Requirement requirement = catalog.get("SIG-ENV-001");

        assertThatThrownBy(() -> catalog.requirements().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> requirement.tags().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> requirement.hints().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
