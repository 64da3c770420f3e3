package io.sigkit.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PayloadExecCommandsTests {

    /** The spec's configure line ("Window Configuration"), byte for byte. */
    private static final String SPEC_CONFIGURE = "/usr/bin/payload_exec -u john -e -w 1304893 > /dev/null";

    /** The spec's window start line ("Window Start"), byte for byte. */
    private static final String SPEC_START = "nohup /usr/bin/payload_exec -u john -w 1304893 -t 1611718292 &> /dev/null &";

    @Test
    void renders_the_spec_configure_line_byte_for_byte() {
        String command = PayloadExecCommands.configure("john", 1304893);

        assertThat(command.getBytes(StandardCharsets.UTF_8)).isEqualTo(SPEC_CONFIGURE.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void renders_the_spec_start_line_byte_for_byte() {
        String command = PayloadExecCommands.start("john", 1304893, 1611718292);

        assertThat(command.getBytes(StandardCharsets.UTF_8)).isEqualTo(SPEC_START.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void the_spec_file_holds_exactly_these_lines() throws Exception {
        // GIVEN the shared spec (when present)
        Path spec = SharedSpec.file("payload-signaling-api-v1.0.txt");
        assumeTrue(spec != null, "shared spec folder absent: the in-repo copies of the lines are tested above");

        // THEN the lines the kit renders are lines of the spec, whole
        assertThat(Files.readAllLines(spec, StandardCharsets.UTF_8))
                .contains(PayloadExecCommands.configure("john", 1304893), PayloadExecCommands.start("john", 1304893, 1611718292));
    }

    @Test
    void templates_come_from_the_schema_annotation() {
        // GIVEN the schema's x-sigkit-command annotations
        var schema = SchemaValidator.of(SchemaId.PAYLOAD_EXEC_ARGUMENTS_V1).schemaDocument();

        // THEN template() returns them unchanged, and they name exactly the fields of their signal
        assertThat(PayloadExecCommands.template("configure"))
                .isEqualTo(schema.at("/$defs/configure/x-sigkit-command").textValue())
                .isEqualTo("/usr/bin/payload_exec -u {user} -e -w {windowId} > /dev/null");
        assertThat(PayloadExecCommands.template("start"))
                .isEqualTo(schema.at("/$defs/start/x-sigkit-command").textValue())
                .isEqualTo("nohup /usr/bin/payload_exec -u {user} -w {windowId} -t {endTime} &> /dev/null &");
        assertThatThrownBy(() -> PayloadExecCommands.template("stop"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'stop'");
    }

    @Test
    void renders_wide_window_ids_exactly() {
        // GIVEN IDs above 2^53 (a double would round 9000000000000000001 to 9000000000000000000) and 2^63-1
        assertThat(PayloadExecCommands.configure("john", 9_000_000_000_000_000_001L))
                .isEqualTo("/usr/bin/payload_exec -u john -e -w 9000000000000000001 > /dev/null");
        assertThat(PayloadExecCommands.start("sigkit_probe", Long.MAX_VALUE, 0))
                .isEqualTo("nohup /usr/bin/payload_exec -u sigkit_probe -w 9223372036854775807 -t 0 &> /dev/null &");
    }

    @Test
    void renders_a_document_read_from_text() throws Exception {
        // GIVEN an argument document as another tool would write it
        var document = new ObjectMapper().readTree(
                "{\"windowId\": 9000000000999999999, \"endTime\": 1900000000, \"user\": \"alice.b\", \"signal\": \"start\"}");

        // WHEN it is rendered
        String command = PayloadExecCommands.render(document);

        // THEN the values land in the template's order, whatever the document's order
        assertThat(command).isEqualTo("nohup /usr/bin/payload_exec -u alice.b -w 9000000000999999999 -t 1900000000 &> /dev/null &");
    }

    @Test
    void refuses_a_user_with_a_space_naming_field_and_value() {
        assertThatThrownBy(() -> PayloadExecCommands.configure("jo hn", 1304893))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("configure")
                .hasMessageContaining("user = \"jo hn\"")
                .hasMessageContaining("regex pattern");
    }

    @Test
    void refuses_a_user_with_a_semicolon_naming_field_and_value() {
        assertThatThrownBy(() -> PayloadExecCommands.start("john;reboot", 1304893, 1611718292))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("start")
                .hasMessageContaining("user = \"john;reboot\"");
    }

    @Test
    void refuses_a_user_with_a_newline() {
        assertThatThrownBy(() -> PayloadExecCommands.configure("john\nreboot", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user = \"john\\nreboot\"");
    }

    @Test
    void refuses_a_null_user() {
        assertThatThrownBy(() -> PayloadExecCommands.configure(null, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user = null");
    }

    @Test
    void refuses_a_negative_window_id_naming_field_and_value() {
        assertThatThrownBy(() -> PayloadExecCommands.configure("john", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("windowId = -1");
    }

    @Test
    void refuses_a_negative_end_time_naming_field_and_value() {
        assertThatThrownBy(() -> PayloadExecCommands.start("john", 1, -5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endTime = -5");
    }

    @Test
    void refuses_an_integral_value_held_as_a_double() {
        // GIVEN a window ID that went through a double (9000000000000000001 would have become 9.0E18)
        ObjectNode document = PayloadExecCommands.configureArguments("john", 0);
        document.put("windowId", 9.0E18);

        // THEN it is refused rather than rendered as a possibly different window
        assertThatThrownBy(() -> PayloadExecCommands.render(document))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("windowId = 9.0E18")
                .hasMessageContaining("JSON integer");
    }

    @Test
    void refuses_an_invalid_document_listing_every_problem() {
        ObjectNode document = PayloadExecCommands.startArguments("-u", -2, 7);
        document.remove("endTime");
        document.put("extra", "x");

        assertThatThrownBy(() -> PayloadExecCommands.render(document))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("user = \"-u\"")
                .hasMessageContaining("windowId = -2")
                .hasMessageContaining("endTime")
                .hasMessageContaining("extra = \"x\"");
    }

    @Test
    void argument_documents_hold_the_arguments_and_nothing_else() {
        assertThat(PayloadExecCommands.configureArguments("john", 1304893).toString())
                .isEqualTo("{\"signal\":\"configure\",\"user\":\"john\",\"windowId\":1304893}");
        assertThat(PayloadExecCommands.startArguments("john", 1304893, 1611718292).toString())
                .isEqualTo("{\"signal\":\"start\",\"user\":\"john\",\"windowId\":1304893,\"endTime\":1611718292}");
    }
}
