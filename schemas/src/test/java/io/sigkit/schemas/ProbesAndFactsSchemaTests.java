package io.sigkit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** probes.v1 and facts.v1, and the report's room for users' requirement IDs. */
class ProbesAndFactsSchemaTests {

    private static String resource(String name) throws Exception {
        try (InputStream in = ProbesAndFactsSchemaTests.class.getClassLoader().getResourceAsStream(SchemaId.RESOURCE_FOLDER + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void the_catalogs_probes_document_is_valid_probes_v1() throws Exception {
        ValidationReport r = SchemaValidator.of(SchemaId.PROBES_V1).validateText(resource("signaling-api-v1.probes.json"),
                "signaling-api-v1.probes.json");
        assertThat(r.errors()).as(r.describe()).isEmpty();
    }

    @Test
    void a_probe_path_must_be_absolute_and_free_of_dot_dot_and_line_breaks() {
        for (String path : new String[] {"opt/x", "/opt/../etc/shadow", "/opt/x\\ny", "/opt/x\\u0000"}) {
            ValidationReport r = SchemaValidator.of(SchemaId.PROBES_V1).validateText("{\"version\": 1, \"paths\": [{\"id\": \"x\","
                    + " \"path\": \"" + path + "\", \"kind\": \"file\"}]}", "p.json");
            assertThat(r.errors()).as(path).anySatisfy(e -> assertThat(e.pointer()).isEqualTo("/paths/0/path"));
        }
    }

    @Test
    void a_sudo_probe_needs_command_words() {
        ValidationReport r = SchemaValidator.of(SchemaId.PROBES_V1).validateText(
                "{\"version\": 1, \"sudo\": [{\"id\": \"x\", \"command\": []}]}", "p.json");
        assertThat(r.valid()).isFalse();
    }

    @Test
    void a_report_may_carry_a_users_requirement_id_but_not_a_malformed_one() {
        SchemaValidator v = SchemaValidator.of(SchemaId.REPORT_V1);
        assertThat(v.validateText("{\"results\": [{\"id\": \"ACME-FS-001\"}]}", "r.json").errors())
                .noneMatch(e -> e.pointer().equals("/results/0/id"));
        for (String id : new String[] {"CONF-002", "acme-fs-001", "ACME-FS-1"}) {
            assertThat(v.validateText("{\"results\": [{\"id\": \"" + id + "\"}]}", "r.json").errors()).as(id)
                    .anyMatch(e -> e.pointer().equals("/results/0/id"));
        }
    }
}
