package io.sigkit.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sigkit.schemas.SharedSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The catalog's profiles: the default one is the Signaling API alone; {@code delivery} adds the SIG-DLV entries. */
class ProfileCatalogTests {

    private final RequirementCatalog catalog = RequirementCatalog.load();

    @Test
    void the_default_profile_is_the_signaling_api_catalog_unchanged() {
        // GIVEN the catalog
        // WHEN the default profile's requirements are asked for
        List<Requirement> defaults = catalog.requirements(RequirementCatalog.DEFAULT_PROFILE);

        // THEN they are exactly requirements(), the IDs of REQUIREMENTS.md, with no SIG-DLV entry among them
        assertThat(defaults).isSameAs(catalog.requirements());
        assertThat(defaults).extracting(Requirement::id).containsExactlyElementsOf(RequirementsFile.expectedIds())
                .noneMatch(id -> id.startsWith("SIG-DLV-"));
    }

    @Test
    void the_delivery_profile_adds_the_dlv_entries_after_the_default_ones() {
        // WHEN the delivery profile's requirements are asked for
        List<Requirement> delivery = catalog.requirements("delivery");

        // THEN they are the default ones, then SIG-DLV-001 (REQUIRED) and SIG-DLV-002 (RECOMMENDED), tagged delivery
        assertThat(catalog.profileNames()).containsExactly("default", "delivery");
        assertThat(delivery.subList(0, catalog.requirements().size())).isEqualTo(catalog.requirements());
        assertThat(delivery.subList(catalog.requirements().size(), delivery.size())).extracting(Requirement::id)
                .containsExactly("SIG-DLV-001", "SIG-DLV-002");
        assertThat(catalog.get("SIG-DLV-001").level()).isEqualTo(Level.REQUIRED);
        assertThat(catalog.get("SIG-DLV-002").level()).isEqualTo(Level.RECOMMENDED);
        assertThat(catalog.withTag("delivery")).extracting(Requirement::id).containsExactly("SIG-DLV-001", "SIG-DLV-002");
        assertThat(catalog.get("SIG-DLV-001").tier()).isEqualTo(Tier.READ_ONLY);
        assertThat(catalog.get("SIG-DLV-002").tier()).isEqualTo(Tier.READ_ONLY);
        assertThat(catalog.profileOf("SIG-DLV-001")).contains("delivery");
        assertThat(catalog.profileOf("SIG-CONF-002")).contains("default");
        assertThat(catalog.profileOf("SIG-DLV-999")).isEmpty();
    }

    @Test
    void dlv_hints_name_port_2005_and_the_boot_set_up() {
        assertThat(String.join(" ", catalog.get("SIG-DLV-001").hints())).contains("2005").contains("nsat/oort-agent");
        assertThat(catalog.get("SIG-DLV-001").howChecked()).contains("/sdk/v1/query_available_files/")
                .contains("direct-tcpip").contains("exec").contains("ERROR");
        assertThat(String.join(" ", catalog.get("SIG-DLV-002").hints())).contains("systemctl enable")
                .contains("update-rc.d");
    }

    @Test
    void an_unknown_profile_is_refused_naming_it_and_the_known_ones() {
        assertThatThrownBy(() -> catalog.requirements("deliverey"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'deliverey'")
                .hasMessageContaining("default, delivery");
    }

    @Test
    void dlv_spec_words_are_quoted_exactly_from_the_user_guide() throws Exception {
        Path guide = SharedSpec.file("payload-in-space-user-guide.md");
        assumeTrue(guide != null, "shared spec folder absent: quotes are checked against the live user guide only");
        String text = Files.readString(guide, StandardCharsets.UTF_8);

        assertThat(catalog.withTag("delivery")).allSatisfy(requirement ->
                assertThat(text).as("%s specWords must be an exact quote of %s", requirement.id(), guide)
                        .contains(requirement.specWordsIfStated().orElseThrow()));
    }

    @Test
    void a_profile_may_not_reuse_an_id_or_redefine_default() {
        // GIVEN catalogs whose profile repeats a default ID, or is named default
        String base = catalogText();
        String repeated = base.replace("\"id\": \"SIG-DLV-002\"", "\"id\": \"SIG-ENV-001\"");
        String redefined = base.replace("\"name\": \"delivery\"", "\"name\": \"default\"");

        // THEN each is refused, naming the problem
        assertThatThrownBy(() -> RequirementCatalog.parse(repeated, "repeated.json"))
                .hasMessageContaining("SIG-ENV-001 twice");
        assertThatThrownBy(() -> RequirementCatalog.parse(redefined, "redefined.json"))
                .hasMessageContaining("redefined.json").hasMessageContaining("/profiles/0/name");
    }

    private static String catalogText() {
        try (var in = RequirementCatalog.class.getClassLoader().getResourceAsStream(RequirementCatalog.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
