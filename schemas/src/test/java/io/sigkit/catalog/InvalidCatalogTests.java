package io.sigkit.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationError;
import io.sigkit.schemas.ValidationReport;
import java.io.InputStream;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The catalog schema rejects broken catalogs, and loading one fails with a clear message. */
class InvalidCatalogTests {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"id", "level", "title", "section", "specWords", "howChecked", "evidence", "tier", "tags", "hints"})
    void every_requirement_field_is_required(String field) {
        ValidationReport report = validate(root -> first(root).remove(field));

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.keyword()).isEqualTo("required");
            assertThat(error.pointer()).isEqualTo("/requirements/0");
            assertThat(error.message()).contains("'" + field + "'");
        });
    }

    @Test
    void rejects_bad_values() {
        assertRejectedAt("/requirements/0/id", root -> first(root).put("id", "ENV-1"));
        assertRejectedAt("/requirements/0/level", root -> first(root).put("level", "OPTIONAL"));
        assertRejectedAt("/requirements/0/tier", root -> first(root).put("tier", "READ_ONLY"));
        assertRejectedAt("/requirements/0/tags/0", root -> first(root).withArray("tags").set(0, MAPPER.getNodeFactory().textNode("network")));
        assertRejectedAt("/requirements/0/tags", root -> first(root).putArray("tags"));
        assertRejectedAt("/requirements/0/hints", root -> first(root).putArray("hints"));
        assertRejectedAt("/requirements/0/hints/0", root -> first(root).withArray("hints").set(0, MAPPER.getNodeFactory().textNode("  ")));
        assertRejectedAt("/requirements/0/specWords", root -> first(root).put("specWords", 3));
        assertRejectedAt("/requirements/0/title", root -> first(root).put("title", ""));
        assertRejectedAt("/requirements/0/unknownField", root -> first(root).put("unknownField", true));
        assertRejectedAt("/specVersion", root -> root.put("specVersion", "2.0"));
        assertRejectedAt("/reservedWindowIds/wide/last", root -> ((ObjectNode) root.at("/reservedWindowIds/wide")).put("last", -1));
    }

    @Test
    void accepts_a_null_spec_words() {
        assertThat(validate(root -> first(root).putNull("specWords")).valid()).isTrue();
    }

    @Test
    void a_requirement_whose_group_has_no_heading_is_rejected_naming_both() throws Exception {
        // GIVEN a catalog whose groups leave out SIG-TIME, the group of SIG-TIME-001 and SIG-TIME-002
        ObjectNode root = shipped();
        ArrayNode groups = root.withArray("groups");
        for (int i = 0; i < groups.size(); i++) {
            if (groups.get(i).get("group").textValue().equals("SIG-TIME")) {
                groups.remove(i);
                break;
            }
        }

        // THEN loading it fails naming the first requirement of that group and what to add
        assertThatThrownBy(() -> RequirementCatalog.parse(MAPPER.writeValueAsString(root), "grouped.catalog.json"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("requirement catalog grouped.catalog.json: SIG-TIME-001 is in group SIG-TIME, which is not in"
                        + " \"groups\" (add it with the heading reports give it)");
    }

    @Test
    void a_timing_chart_of_a_requirement_not_in_the_catalog_is_rejected() throws Exception {
        ObjectNode root = shipped();
        ((ObjectNode) root.get("timingChart")).put("requirement", "SIG-CONF-999");

        assertThatThrownBy(() -> RequirementCatalog.parse(MAPPER.writeValueAsString(root), "chart.catalog.json"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("requirement catalog chart.catalog.json: timingChart names SIG-CONF-999, which is not in the"
                        + " catalog");
    }

    @Test
    void loading_an_invalid_catalog_fails_naming_the_source_and_each_error() throws Exception {
        // GIVEN catalog text whose first requirement has a bad level
        ObjectNode root = shipped();
        first(root).put("level", "MUST");

        // THEN parsing it fails with the source, the schema, the pointer and the line
        assertThatThrownBy(() -> RequirementCatalog.parse(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root), "broken.catalog.json"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("broken.catalog.json")
                .hasMessageContaining(SchemaId.CATALOG.id())
                .hasMessageContaining("/requirements/0/level")
                .hasMessageMatching("(?s).*broken\\.catalog\\.json:\\d+:\\d+ /requirements/0/level.*");
    }

    @Test
    void loading_a_catalog_with_a_duplicate_id_fails() throws Exception {
        ObjectNode root = shipped();
        ArrayNode requirements = root.withArray("requirements");
        requirements.add(requirements.get(0).deepCopy());

        assertThatThrownBy(() -> RequirementCatalog.parse(MAPPER.writeValueAsString(root), "dup.catalog.json"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dup.catalog.json")
                .hasMessageContaining("SIG-ENV-001 twice");
    }

    @Test
    void loading_a_catalog_with_an_empty_range_fails() throws Exception {
        ObjectNode root = shipped();
        ((ObjectNode) root.at("/reservedWindowIds/ordinary")).put("last", 1);

        assertThatThrownBy(() -> RequirementCatalog.parse(MAPPER.writeValueAsString(root), "range.catalog.json"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("range.catalog.json")
                .hasMessageContaining("empty window ID range");
    }

    @Test
    void loading_malformed_catalog_text_fails_with_its_place() {
        assertThatThrownBy(() -> RequirementCatalog.parse("{\n  \"catalogVersion\": ", "cut.catalog.json"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cut.catalog.json:2:")
                .hasMessageContaining("(syntax)");
    }

    private static void assertRejectedAt(String pointer, Consumer<ObjectNode> change) {
        ValidationReport report = validate(change);

        assertThat(report.errors()).as("after the change at %s", pointer).isNotEmpty()
                .extracting(ValidationError::pointer).contains(pointer);
    }

    private static ValidationReport validate(Consumer<ObjectNode> change) {
        try {
            ObjectNode root = shipped();
            change.accept(root);
            return SchemaValidator.of(SchemaId.CATALOG).validateText(MAPPER.writeValueAsString(root), "catalog.json");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static ObjectNode shipped() throws Exception {
        try (InputStream in = InvalidCatalogTests.class.getClassLoader().getResourceAsStream(RequirementCatalog.RESOURCE)) {
            return (ObjectNode) MAPPER.readTree(in);
        }
    }

    private static ObjectNode first(ObjectNode root) {
        return (ObjectNode) root.withArray("requirements").get(0);
    }
}
