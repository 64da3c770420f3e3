package io.sigkit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** waivers.v1.schema.json: what a waivers file must hold, and what it refuses with a pointer to the field. */
class WaiversSchemaTests {
    private final SchemaValidator validator = SchemaValidator.of(SchemaId.WAIVERS_V1);

    private static final String FULL = "{\"id\": \"SIG-CFG-003\", \"reason\": \"r\", \"approvedBy\": \"a\","
            + " \"expires\": \"2027-01-31\", \"payloadExecSha256\": \"" + "aB".repeat(32) + "\"}";

    @Test
    void a_full_entry_an_unbound_entry_and_an_empty_list_are_valid() {
        assertThat(validator.validateText("{\"waivers\": [" + FULL + "]}", "w.json").valid()).isTrue();
        assertThat(validator.validateText("{\"waivers\": [{\"id\": \"SIG-FS-006\", \"reason\": \"r\","
                + " \"approvedBy\": \"a\", \"expires\": \"2027-01-31\"}]}", "w.json").valid()).isTrue();
        assertThat(validator.validateText("{\"$schema\": \"https://sigkit.io/schemas/waivers.v1.schema.json\","
                + " \"waivers\": []}", "w.json").valid()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no reason          | \"reason\": \"r\",                  |                              | /waivers/0",
        "blank approver     | \"approvedBy\": \"a\"               | \"approvedBy\": \"  \"       | /waivers/0/approvedBy",
        "not a date         | \"expires\": \"2027-01-31\"         | \"expires\": \"31.01.2027\"  | /waivers/0/expires",
        "short hash         | \"payloadExecSha256\": \"         | \"payloadExecSha256\": \"ab\", \"x\": \" | /waivers/0",
        "malformed ID       | \"id\": \"SIG-CFG-003\"             | \"id\": \"CFG-3\"            | /waivers/0/id",
    })
    void a_broken_entry_is_refused_at_its_field(String why, String replace, String with, String pointer) {
        String entry = FULL.replace(replace.strip(), with == null ? "" : with.strip());
        ValidationReport report = validator.validateText("{\"waivers\": [" + entry + "]}", "w.json");
        assertThat(report.valid()).as(why).isFalse();
        assertThat(report.errors()).as(why).anySatisfy(e -> assertThat(e.pointer()).startsWith(pointer));
    }

    @Test
    void a_bare_list_or_an_unknown_top_level_key_is_refused() {
        assertThat(validator.validateText("[" + FULL + "]", "w.json").valid()).isFalse();
        assertThat(validator.validateText("{\"waivers\": [], \"waiver\": []}", "w.json").errors())
                .anySatisfy(e -> assertThat(e.keyword()).isEqualTo("additionalProperties"));
    }
}
