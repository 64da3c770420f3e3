package io.sigkit.cli;

import static io.sigkit.cli.SigkitTestCase.sigkit;
import static io.sigkit.cli.SigkitTestCase.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.cli.SigkitTestCase.Execution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sigkit validate}: window configs against the v1 schema; errors as file:line:col /pointer: message. */
class ValidateCommandTests {

    /** The example of the spec (Signal Parameters). */
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

    @TempDir
    Path dir;

    @Test
    void the_spec_example_and_a_minimal_config_are_valid() throws Exception {
        // GIVEN the spec's own example and a config with only tasking_parameters
        Path spec = write(dir, "1304893.json", SPEC_EXAMPLE);
        Path minimal = write(dir, "7.json", "{\"version\": 1, \"signal_parameters\": {\"tasking_parameters\": {}}}");
        // WHEN both are validated
        Execution e = sigkit("validate", spec.toString(), minimal.toString());
        // THEN exit 0, one "valid" line each, nothing on stderr
        assertThat(e.exitCode()).as("%s", e).isZero();
        assertThat(e.out().lines()).containsExactly(spec + ": valid", minimal + ": valid");
        assertThat(e.err()).isEmpty();
    }

    @Test
    void each_schema_error_names_file_line_column_and_pointer() throws Exception {
        // GIVEN version 2 on line 2 and tasking_parameters that are an array on line 4
        Path bad = write(dir, "bad.json", "{\n  \"version\": 2,\n  \"signal_parameters\": {\n"
                + "    \"tasking_parameters\": [1]\n  }\n}\n");
        // WHEN it is validated
        Execution e = sigkit("validate", bad.toString());
        // THEN exit 1 and one line per error, located
        assertThat(e.exitCode()).as("%s", e).isEqualTo(1);
        assertThat(e.errLines()).hasSize(2);
        assertThat(e.errLines().get(0)).startsWith(bad + ":2:").contains(" /version: ");
        assertThat(e.errLines().get(1)).startsWith(bad + ":4:").contains(" /signal_parameters/tasking_parameters: ");
        assertThat(e.out()).isEmpty();
    }

    @Test
    void a_missing_property_is_reported_at_the_object_that_lacks_it() throws Exception {
        Path noParams = write(dir, "no-params.json", "{\n  \"version\": 1\n}\n");
        Execution e = sigkit("validate", noParams.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(1);
        assertThat(e.errLines()).singleElement().asString().startsWith(noParams + ":1:1 /: ")
                .contains("signal_parameters");
    }

    @Test
    void malformed_json_is_reported_with_its_line_and_column() throws Exception {
        // GIVEN a stray comma on line 3
        Path broken = write(dir, "broken.json", "{\n  \"version\": 1,\n  \"signal_parameters\": {,\n}\n");
        Execution e = sigkit("validate", broken.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(1);
        assertThat(e.errLines()).singleElement().asString().startsWith(broken + ":3:").contains("not valid JSON");
    }

    @Test
    void valid_and_invalid_files_together_exit_1_and_report_each() throws Exception {
        Path ok = write(dir, "ok.json", SPEC_EXAMPLE);
        Path bad = write(dir, "bad.json", "{\"version\": \"1\", \"signal_parameters\": {}}");
        Execution e = sigkit("validate", ok.toString(), bad.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(1);
        assertThat(e.out()).contains(ok + ": valid");
        assertThat(e.err()).contains(bad + ":1:").contains("/version");
    }

    @Test
    void an_unreadable_file_exits_64_naming_it() throws Exception {
        Path ok = write(dir, "ok.json", SPEC_EXAMPLE);
        Path missing = dir.resolve("missing.json");
        Execution e = sigkit("validate", ok.toString(), missing.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertThat(e.errLines()).singleElement().asString().contains(missing.toString()).contains("no such file");
    }

    @Test
    void a_directory_is_unreadable_as_a_config() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("configs"));
        Execution e = sigkit("validate", sub.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertThat(e.err()).contains(sub.toString());
    }

    @Test
    void a_file_without_read_permission_exits_64_unless_root_reads_it_anyway() throws Exception {
        Path secret = write(dir, "secret.json", SPEC_EXAMPLE);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        Execution e = sigkit("validate", secret.toString());
        if (Files.isReadable(secret)) {
            assertThat(e.exitCode()).as("root reads any file: %s", e).isZero();
        } else {
            assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
            assertThat(e.err()).contains(secret.toString());
        }
    }

    @Test
    void no_file_is_a_usage_error() {
        Execution e = sigkit("validate");
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertThat(e.err()).contains("FILE");
    }
}
