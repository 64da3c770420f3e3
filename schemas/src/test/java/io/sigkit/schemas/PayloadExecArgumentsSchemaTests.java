package io.sigkit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadExecArgumentsSchemaTests {

    private static final String TWO_TO_THE_63 = BigInteger.TWO.pow(63).toString();
    private static final String TWO_TO_THE_63_MINUS_1 = BigInteger.TWO.pow(63).subtract(BigInteger.ONE).toString();

    private final SchemaValidator validator = SchemaValidator.of(SchemaId.PAYLOAD_EXEC_ARGUMENTS_V1);

    @Test
    void accepts_the_spec_configure_arguments() {
        ValidationReport report = validator.validateText(
                "{\"signal\":\"configure\",\"user\":\"john\",\"windowId\":1304893}", "configure.json");

        assertThat(report.valid()).as(report.describe()).isTrue();
    }

    @Test
    void accepts_the_spec_start_arguments() {
        ValidationReport report = validator.validateText(
                "{\"signal\":\"start\",\"user\":\"john\",\"windowId\":1304893,\"endTime\":1611718292}", "start.json");

        assertThat(report.valid()).as(report.describe()).isTrue();
    }

    @Test
    void accepts_window_id_2_to_the_63_minus_1_and_reads_it_exactly() throws Exception {
        // GIVEN the largest window ID, written as a JSON integer
        String text = "{\"signal\":\"configure\",\"user\":\"john\",\"windowId\":" + TWO_TO_THE_63_MINUS_1 + "}";

        // WHEN it is validated, and read with Jackson
        ValidationReport report = validator.validateText(text, "max.json");
        JsonNode windowId = new ObjectMapper().readTree(text).get("windowId");

        // THEN it is valid, and Jackson holds it as an exact long (not a double, which would round it to 2^63)
        assertThat(report.valid()).as(report.describe()).isTrue();
        assertThat(windowId.getNodeType()).isEqualTo(JsonNodeType.NUMBER);
        assertThat(windowId.isLong()).isTrue();
        assertThat(windowId.longValue()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rejects_window_id_2_to_the_63() throws Exception {
        // GIVEN a window ID one above the 64-bit range, which Jackson reads as a BigInteger
        String text = "{\"signal\":\"configure\",\"user\":\"john\",\"windowId\":" + TWO_TO_THE_63 + "}";
        assertThat(new ObjectMapper().readTree(text).get("windowId").isBigInteger()).isTrue();

        // WHEN it is validated
        ValidationReport report = validator.validateText(text, "over.json");

        // THEN the limit rejects it (no rounding made it look like 2^63-1)
        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEqualTo("/windowId");
            assertThat(error.keyword()).isEqualTo("exclusiveMaximum");
        });
    }

    @Test
    void rejects_window_id_2_to_the_63_in_a_tree_built_elsewhere() throws Exception {
        JsonNode document = new ObjectMapper().readTree(
                "{\"signal\":\"start\",\"user\":\"john\",\"windowId\":" + TWO_TO_THE_63 + ",\"endTime\":1}");

        ValidationReport report = validator.validate(document, "tree");

        assertThat(report.errors()).extracting(ValidationError::pointer).containsExactly("/windowId");
        assertThat(report.errors().get(0).line()).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1304893.5", "\"1304893\"", "null", "-9223372036854775809", "1e19", "1.0e19", "1e400",
        "-1e19", "-1e400", "18446744073709551616", "18446744073709551616.0", "9223372036854775808.0", "-0.5", "true"})
    void rejects_window_ids_that_are_not_non_negative_64_bit_integers(String windowId) {
        ValidationReport report = validator.validateText(
                "{\"signal\":\"configure\",\"user\":\"john\",\"windowId\":" + windowId + "}", "w.json");

        assertThat(report.errors()).isNotEmpty().extracting(ValidationError::pointer).containsOnly("/windowId");
    }

    @Test
    void rejects_out_of_range_window_ids_in_trees_read_with_doubles() throws Exception {
        // GIVEN trees from a default ObjectMapper, where 1e19 is a double (its long conversion saturates) and
        // -1e19 a double too
        for (String windowId : new String[] {"1e19", "-1e19", "9.3e18", "1e400"}) {
            JsonNode document = new ObjectMapper().readTree(
                    "{\"signal\":\"configure\",\"user\":\"john\",\"windowId\":" + windowId + "}");

            // THEN each is rejected at /windowId
            assertThat(validator.validate(document, windowId).errors()).as(windowId)
                    .isNotEmpty().extracting(ValidationError::pointer).containsOnly("/windowId");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"john", "j", "John_Smith-2", "a.b", "_svc", "0", "x23456789012345678901234567890123456789012345678901234567890abcd"})
    void accepts_users_from_the_portable_filename_set(String user) {
        ValidationReport report = validator.validateText(
                "{\"signal\":\"configure\",\"user\":\"" + user + "\",\"windowId\":1}", "u.json");

        assertThat(report.valid()).as(report.describe()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "jo hn", "john;reboot", "-john", "--help", ".", "..", ".hidden", "", "john\\n", "john\\nreboot", "jo\\thn",
        "$(reboot)", "`id`", "john&", "john|x", "a>b", "a<b", "j*", "j?", "[j]", "~john", "jöhn", "john/..", "a'b",
        "a\\\"b", "a\\\\b", "j{a,b}", "x=1", "a#b", "a!b", "a%b", "a@b", "a:b",
        "x23456789012345678901234567890123456789012345678901234567890abcde"})
    void rejects_users_outside_the_shell_safe_set(String jsonEscapedUser) {
        // GIVEN a user with a space, a shell metacharacter, a leading '-' or '.', a control character, a non-ASCII
        // letter, or 65 characters
        String text = "{\"signal\":\"configure\",\"user\":\"" + jsonEscapedUser + "\",\"windowId\":1}";

        // WHEN it is validated
        ValidationReport report = validator.validateText(text, "u.json");

        // THEN the user field is rejected
        assertThat(report.errors()).as(text).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEqualTo("/user");
            assertThat(error.keyword()).isEqualTo("pattern");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "\"1611718292\"", "null", "92233720368547758070"})
    void rejects_end_times_that_are_not_non_negative_unix_seconds(String endTime) {
        ValidationReport report = validator.validateText(
                "{\"signal\":\"start\",\"user\":\"john\",\"windowId\":1,\"endTime\":" + endTime + "}", "t.json");

        assertThat(report.errors()).isNotEmpty().extracting(ValidationError::pointer).containsOnly("/endTime");
    }

    @Test
    void rejects_a_start_without_end_time() {
        ValidationReport report = validator.validateText("{\"signal\":\"start\",\"user\":\"john\",\"windowId\":1}", "s.json");

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.keyword()).isEqualTo("required");
            assertThat(error.message()).contains("endTime");
        });
    }

    @Test
    void rejects_an_end_time_on_configure() {
        // GIVEN a configure document that carries a value its command line would silently drop
        String text = "{\"signal\":\"configure\",\"user\":\"john\",\"windowId\":1,\n\"endTime\":5}";

        ValidationReport report = validator.validateText(text, "c.json");

        // THEN the extra property is reported at its own place
        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.keyword()).isEqualTo("additionalProperties");
            assertThat(error.pointer()).isEqualTo("/endTime");
            assertThat(error.line()).isEqualTo(2);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"user\":\"john\",\"windowId\":1}", "{\"signal\":\"stop\",\"user\":\"john\",\"windowId\":1}",
        "{\"signal\":\"CONFIGURE\",\"user\":\"john\",\"windowId\":1}", "{\"signal\":\"configure\",\"windowId\":1}",
        "{\"signal\":\"configure\",\"user\":\"john\"}", "{\"signal\":\"configure\",\"user\":\"john\",\"windowId\":1,\"extra\":true}",
        "[\"configure\",\"john\",1]"})
    void rejects_documents_that_are_not_one_signal(String text) {
        assertThat(validator.validateText(text, "x.json").valid()).as(text).isFalse();
    }
}
