package io.sigkit.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WindowConfigSchemaTests {

    /** The spec's example ("Window Configuration"), which the spec prints without its braces; closed here. */
    static final String SPEC_EXAMPLE = """
            {
                "version": 1,
                "signal_parameters": {
                    "lunch_money": 1.72,
                    "greeting": "hello, world!",
                    "tasking_parameters": {
                        "key1": "some value",
                        "Key2": "some other value"
                    }
                }
            }
            """;

    /** Spire's "Create and Download a File in Space" tutorial: only tasking_parameters in signal_parameters. */
    static final String TUTORIAL_EXAMPLE = """
            {
                "version": 1,
                "signal_parameters": {
                    "tasking_parameters": {
                        "executable": "download_file.py",
                        "filename": "space.txt"
                    }
                }
            }
            """;

    private final SchemaValidator validator = SchemaValidator.of(SchemaId.WINDOW_CONFIG_V1);

    @Test
    void accepts_the_spec_example() {
        ValidationReport report = validator.validateText(SPEC_EXAMPLE, "1304893.json");

        assertThat(report.valid()).as(report.describe()).isTrue();
    }

    @Test
    void accepts_the_spec_example_as_printed_in_the_spec_file() throws Exception {
        // GIVEN the example's lines as they stand in the shared spec (when the shared folder is present)
        Path spec = SharedSpec.file("payload-signaling-api-v1.0.txt");
        assumeTrue(spec != null, "shared spec folder absent: the in-repo copy of the example is tested above");
        List<String> lines = Files.readAllLines(spec);
        int first = indexOfLineContaining(lines, "\"version\": 1,");
        int last = indexOfLineContaining(lines, "\"Key2\": \"some other value\"");
        String printed = String.join("\n", lines.subList(first, last + 1));

        // WHEN it is closed the way the spec leaves it open (the spec omits the outer braces)
        String closed = "{\n" + printed + "\n}\n}\n}\n";

        // THEN it is valid, and it is the example the other tests use
        ValidationReport report = validator.validateText(closed, spec + " (example)");
        assertThat(report.valid()).as(report.describe()).isTrue();
        assertThat(closed.replaceAll("\\s", "")).isEqualTo(SPEC_EXAMPLE.replaceAll("\\s", ""));
    }

    @Test
    void accepts_the_tutorial_example_with_only_tasking_parameters() {
        ValidationReport report = validator.validateText(TUTORIAL_EXAMPLE, "123.json");

        assertThat(report.valid()).as(report.describe()).isTrue();
    }

    @Test
    void accepts_empty_signal_parameters() {
        assertThat(validator.validateText("{\"version\": 1, \"signal_parameters\": {}}", "w.json").valid()).isTrue();
    }

    @Test
    void accepts_bus_keys_of_every_json_type_in_signal_parameters() {
        // GIVEN the kind of config SIG-CFG-003 writes: unknown keys of every JSON type
        String config = """
                {"version": 1, "signal_parameters": {
                    "n": -3.5e2, "s": "héllo wörld ✓ 🛰", "o": {"deep": {"er": [1, {"x": null}]}},
                    "a": [1, "two", false, null], "z": null, "b": true,
                    "tasking_parameters": {"anything": [{"goes": 9007199254740993}], "k": null}}}
                """;

        assertThat(validator.validateText(config, "w.json").valid()).isTrue();
    }

    @Test
    void accepts_unknown_root_keys() {
        // GIVEN a root key the spec does not mention (decision: the root is open, see README)
        String config = "{\"version\": 1, \"signal_parameters\": {}, \"bus_revision\": \"B\"}";

        assertThat(validator.validateText(config, "w.json").valid()).isTrue();
    }

    @Test
    void rejects_version_2() {
        ValidationReport report = validator.validateText("{\"version\": 2, \"signal_parameters\": {}}", "w.json");

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEqualTo("/version");
            assertThat(error.keyword()).isEqualTo("const");
            assertThat(error.line()).isEqualTo(1);
            assertThat(error.column()).isEqualTo(13);
        });
    }

    @Test
    void rejects_version_as_a_string() {
        ValidationReport report = validator.validateText("{\"version\": \"1\", \"signal_parameters\": {}}", "w.json");

        assertThat(report.valid()).isFalse();
        assertThat(report.errors()).extracting(ValidationError::pointer).containsOnly("/version");
        assertThat(report.errors()).extracting(ValidationError::keyword).contains("type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "0", "-1", "null", "true", "[1]"})
    void rejects_other_versions(String version) {
        ValidationReport report = validator.validateText("{\"version\": " + version + ", \"signal_parameters\": {}}", "w.json");

        assertThat(report.errors()).isNotEmpty().extracting(ValidationError::pointer).containsOnly("/version");
    }

    @Test
    void rejects_a_missing_version() {
        ValidationReport report = validator.validateText("{\"signal_parameters\": {}}", "w.json");

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEmpty();
            assertThat(error.keyword()).isEqualTo("required");
            assertThat(error.message()).contains("version");
        });
    }

    @Test
    void rejects_missing_signal_parameters() {
        ValidationReport report = validator.validateText("{\n  \"version\": 1\n}", "w.json");

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEmpty();
            assertThat(error.keyword()).isEqualTo("required");
            assertThat(error.message()).contains("signal_parameters");
            assertThat(error.toString()).isEqualTo("w.json:1:1 (root): " + error.message() + " (required)");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"x\"", "[]", "null", "3", "false"})
    void rejects_signal_parameters_that_are_not_an_object(String value) {
        ValidationReport report = validator.validateText("{\"version\": 1, \"signal_parameters\": " + value + "}", "w.json");

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEqualTo("/signal_parameters");
            assertThat(error.keyword()).isEqualTo("type");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"key=value\"", "[{\"k\": 1}]", "null", "42", "true"})
    void rejects_tasking_parameters_that_are_not_an_object(String value) {
        String config = "{\"version\": 1,\n \"signal_parameters\": {\n  \"tasking_parameters\": " + value + "}}";

        ValidationReport report = validator.validateText(config, "w.json");

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEqualTo("/signal_parameters/tasking_parameters");
            assertThat(error.keyword()).isEqualTo("type");
            assertThat(error.line()).isEqualTo(3);
            assertThat(error.column()).isEqualTo(25);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"version 1\"", "1", "null"})
    void rejects_a_root_that_is_not_an_object(String root) {
        ValidationReport report = validator.validateText(root, "w.json");

        assertThat(report.errors()).singleElement().satisfies(error -> {
            assertThat(error.pointer()).isEmpty();
            assertThat(error.keyword()).isEqualTo("type");
        });
    }

    private static int indexOfLineContaining(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("the spec has no line containing " + text);
    }
}
