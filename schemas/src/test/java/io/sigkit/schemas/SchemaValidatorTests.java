package io.sigkit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaValidatorTests {

    private final SchemaValidator validator = SchemaValidator.of(SchemaId.WINDOW_CONFIG_V1);

    @TempDir
    Path dir;

    @Test
    void reports_a_malformed_file_as_one_syntax_error_with_line_and_column() throws Exception {
        // GIVEN a window config with a trailing comma on line 4
        Path file = write("1304893.json", """
                {
                  "version": 1,
                  "signal_parameters": {
                    "tasking_parameters": {"a": 1,}
                  }
                }
                """);

        // WHEN it is validated
        ValidationReport report = validator.validate(file);

        // THEN there is exactly one error, naming the file, the line and the column of the '}'
        assertThat(report.source()).isEqualTo(file.toString());
        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.keyword()).isEqualTo("syntax");
            assertThat(error.source()).isEqualTo(file.toString());
            assertThat(error.pointer()).isEmpty();
            assertThat(error.line()).isEqualTo(4);
            assertThat(error.column()).isEqualTo(35);
            assertThat(error.message()).startsWith("invalid JSON: Unexpected character ('}'").doesNotContain("REDACTED");
            assertThat(error.toString()).startsWith(file + ":4:35 (root): invalid JSON:").endsWith("(syntax)");
        });
    }

    @Test
    void reports_an_unclosed_document_at_its_end() throws Exception {
        Path file = write("open.json", "{\n  \"version\": 1,\n  \"signal_parameters\": {\n");

        ValidationReport report = validator.validate(file);

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.keyword()).isEqualTo("syntax");
            assertThat(error.line()).isEqualTo(4);
            assertThat(error.message()).contains("end-of-input").doesNotContain("Source:");
        });
    }

    @Test
    void reports_schema_errors_of_a_file_with_their_lines_in_document_order() throws Exception {
        Path file = write("w.json", """
                {
                  "version": "1",
                  "signal_parameters": {
                    "tasking_parameters": []
                  }
                }
                """);

        ValidationReport report = validator.validate(file);

        assertThat(report.valid()).isFalse();
        assertThat(report.errors()).extracting(ValidationError::line).isSorted().contains(2, 4);
        assertThat(report.errors()).filteredOn(error -> error.line() == 4).singleElement().satisfies(error -> {
            assertThat(error.toString()).isEqualTo(file + ":4:27 /signal_parameters/tasking_parameters: "
                    + error.message() + " (type)");
            assertThat(error.message()).contains("array").contains("object");
        });
    }

    @Test
    void reports_a_missing_file_without_throwing() {
        Path missing = dir.resolve("nope/4711.json");

        ValidationReport report = validator.validate(missing);

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.keyword()).isEqualTo("io");
            assertThat(error.message()).isEqualTo("cannot read " + missing + ": no such file");
            assertThat(error.line()).isEqualTo(-1);
            assertThat(error.toString()).isEqualTo(missing + " (root): cannot read " + missing + ": no such file (io)");
        });
    }

    @Test
    void reports_a_directory_without_throwing() {
        ValidationReport report = validator.validate(dir);

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.keyword()).isEqualTo("io");
            assertThat(error.message()).contains(dir.toString()).contains("directory");
        });
    }

    @Test
    void reports_a_device_without_reading_it() {
        // GIVEN a character device (reading /dev/zero would never end)
        Path device = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(device), "/dev/zero absent");

        ValidationReport report = validator.validate(device);

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.keyword()).isEqualTo("io");
            assertThat(error.message()).contains("/dev/zero").contains("not a regular file");
        });
    }

    @Test
    void reports_an_empty_file() throws Exception {
        ValidationReport report = validator.validate(write("empty.json", "  \n"));

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.keyword()).isEqualTo("syntax");
            assertThat(error.message()).contains("empty");
        });
    }

    @Test
    void reports_content_after_the_value() throws Exception {
        ValidationReport report = validator.validate(write("two.json", "{\"version\": 1, \"signal_parameters\": {}}\n{}"));

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.keyword()).isEqualTo("syntax");
            assertThat(error.message()).contains("after the end");
            assertThat(error.line()).isEqualTo(2);
            assertThat(error.column()).isEqualTo(1);
        });
    }

    @Test
    void reports_a_duplicate_key() throws Exception {
        ValidationReport report = validator.validate(write("dup.json", "{\"version\": 1,\n \"version\": 2, \"signal_parameters\": {}}"));

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.keyword()).isEqualTo("syntax");
            assertThat(error.message()).contains("duplicate key 'version'");
            assertThat(error.line()).isEqualTo(2);
        });
    }

    @Test
    void reports_a_byte_order_mark() throws Exception {
        ValidationReport report = validator.validate(write("bom.json", "\uFEFF{\"version\": 1, \"signal_parameters\": {}}"));

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.keyword()).isEqualTo("syntax");
            assertThat(error.message()).contains("byte order mark");
        });
    }

    @Test
    void reports_bytes_that_are_not_utf_8_with_their_place() throws Exception {
        // GIVEN a Latin-1 'é' (0xE9) on line 2
        Path file = dir.resolve("latin1.json");
        byte[] head = "{\"version\": 1,\n \"signal_parameters\": {\"g\": \"caf".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\"}}".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xE9;
        System.arraycopy(tail, 0, bytes, head.length + 1, tail.length);
        Files.write(file, bytes);

        ValidationReport report = validator.validate(file);

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.keyword()).isEqualTo("syntax");
            assertThat(error.message()).isEqualTo("not UTF-8 text: invalid byte 0xE9 at byte offset " + head.length);
            assertThat(error.line()).isEqualTo(2);
            assertThat(error.column()).isEqualTo(33);
        });
    }

    @Test
    void accepts_utf_8_text() throws Exception {
        ValidationReport report = validator.validate(write("utf8.json",
                "{\"version\": 1, \"signal_parameters\": {\"greeting\": \"héllo, wörld 🛰\"}}"));

        assertThat(report.valid()).as(report.describe()).isTrue();
        assertThat(report.describe()).endsWith(": valid");
    }

    @Test
    void validate_text_reports_syntax_errors_with_the_given_name() {
        ValidationReport report = validator.validateText("{\"version\": 1,,}", "inline");

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.source()).isEqualTo("inline");
            assertThat(error.keyword()).isEqualTo("syntax");
            assertThat(error.line()).isEqualTo(1);
            assertThat(error.column()).isEqualTo(15);
        });
    }

    @Test
    void a_tree_built_elsewhere_has_pointers_but_no_lines() throws Exception {
        var tree = new ObjectMapper().readTree("{\"version\": 3, \"signal_parameters\": {}}");

        ValidationReport report = validator.validate(tree, "built");

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEqualTo("/version");
            assertThat(error.line()).isEqualTo(-1);
            assertThat(error.column()).isEqualTo(-1);
            assertThat(error.hasLocation()).isFalse();
            assertThat(error.toString()).isEqualTo("built /version: " + error.message() + " (const)");
        });
    }

    @Test
    void pointers_escape_slash_and_tilde() {
        ValidationReport report = validator.validateText(
                "{\"version\": 1, \"signal_parameters\": {\"tasking_parameters\": 1}, \"a/b~c\": 0}", "p");
        assertThat(report.errors()).extracting(ValidationError::pointer).containsExactly("/signal_parameters/tasking_parameters");

        ValidationReport extra = SchemaValidator.of(SchemaId.PAYLOAD_EXEC_ARGUMENTS_V1).validateText(
                "{\"signal\": \"configure\", \"user\": \"john\", \"windowId\": 1, \"a/b~c\": 0}", "p");
        assertThat(extra.errors()).extracting(ValidationError::pointer).containsExactly("/a~1b~0c");
    }

    @Test
    void validators_are_shared_per_schema() {
        assertThat(SchemaValidator.of(SchemaId.REPORT_V1)).isSameAs(SchemaValidator.of(SchemaId.REPORT_V1));
        assertThat(SchemaValidator.of(SchemaId.REPORT_V1).schemaId()).isEqualTo(SchemaId.REPORT_V1);
    }

    @Test
    void validation_errors_refuse_impossible_locations() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ValidationError("s", "", "k", "m", 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
