package io.sigkit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SchemaDocumentsTests {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(SchemaId.class)
    void every_schema_is_a_valid_draft_2020_12_schema(SchemaId schemaId) {
        // GIVEN one of sigkit's schema files
        // WHEN it is validated against the draft 2020-12 meta-schema
        ValidationReport report = SchemaValidator.validateAgainstMetaSchema(schemaId);

        // THEN it satisfies it
        assertThat(report.errors()).as(report.describe()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(SchemaId.class)
    void every_schema_declares_draft_2020_12_and_its_stable_id(SchemaId schemaId) throws Exception {
        // GIVEN the schema resource named by the SchemaId
        JsonNode schema;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(schemaId.resourceName())) {
            assertThat(in).as("classpath resource %s", schemaId.resourceName()).isNotNull();
            schema = MAPPER.readTree(in);
        }

        // THEN its $schema is draft 2020-12 and its $id is the one the enum promises
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("$id").asText())
                .isEqualTo(schemaId.id())
                .startsWith("https://sigkit.io/schemas/")
                .endsWith(schemaId.fileName());
        assertThat(schemaId.resourceName()).isEqualTo("io/sigkit/schemas/" + schemaId.fileName());
    }

    @Test
    void ids_are_the_published_ones() {
        assertThat(List.of(SchemaId.values())).extracting(SchemaId::id).containsExactly(
                "https://sigkit.io/schemas/window-config.v1.schema.json",
                "https://sigkit.io/schemas/payload-exec-arguments.v1.schema.json",
                "https://sigkit.io/schemas/catalog.schema.json",
                "https://sigkit.io/schemas/report.v1.schema.json",
                "https://sigkit.io/schemas/waivers.v1.schema.json",
                "https://sigkit.io/schemas/probes.v1.schema.json",
                "https://sigkit.io/schemas/facts.v1.schema.json",
                "https://sigkit.io/schemas/inventory.v1.schema.json",
                "https://sigkit.io/schemas/fleet.v1.schema.json",
                "https://sigkit.io/schemas/variants.v1.schema.json");
    }

    @Test
    void the_meta_schema_check_rejects_a_broken_schema() throws Exception {
        // GIVEN a schema with a misspelt type and a non-numeric minimum
        JsonNode broken = MAPPER.readTree("{\"type\": \"strnig\", \"minimum\": \"zero\"}");

        // WHEN it is validated against the meta-schema the tests above use
        var errors = Schemas.metaSchema().validate(broken);

        // THEN the check can fail: both mistakes are reported
        assertThat(errors).extracting(com.networknt.schema.Error::getKeyword).contains("enum", "type");
    }

    @Test
    void the_dialect_is_draft_2020_12_plus_the_command_annotation() {
        assertThat(Schemas.dialect().getSpecificationVersion()).isEqualTo(SpecificationVersion.DRAFT_2020_12);
        assertThat(Schemas.dialect().getId()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(Schemas.dialect().getKeywords()).containsKey("x-sigkit-command");
    }

    @Test
    void schemas_reference_each_other_by_id_from_the_classpath() {
        // GIVEN the report schema, whose results[].id and level are $refs to the catalog schema's $id
        JsonNode report = SchemaValidator.of(SchemaId.REPORT_V1).schemaDocument();
        assertThat(report.at("/$defs/result/properties/id/anyOf/0/$ref").asText())
                .isEqualTo(SchemaId.CATALOG.id() + "#/$defs/requirementId");

        // WHEN a report with a malformed requirement ID is validated (there is no network in this build)
        ValidationReport result = SchemaValidator.of(SchemaId.REPORT_V1).validateText(
                "{\"results\": [{\"id\": \"CONF-2\"}]}", "report.json");

        // THEN the referenced definition was resolved and applied
        assertThat(result.errors()).anySatisfy(error -> {
            assertThat(error.pointer()).isEqualTo("/results/0/id");
            assertThat(error.keyword()).isEqualTo("pattern");
        });
    }

    @Test
    void schema_document_is_a_copy() {
        // GIVEN a caller that modifies the document it was given
        JsonNode copy = SchemaValidator.of(SchemaId.WINDOW_CONFIG_V1).schemaDocument();
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy).put("$id", "changed");

        // THEN the next caller still sees the schema
        assertThat(SchemaValidator.of(SchemaId.WINDOW_CONFIG_V1).schemaDocument().path("$id").asText())
                .isEqualTo(SchemaId.WINDOW_CONFIG_V1.id());
    }
}
