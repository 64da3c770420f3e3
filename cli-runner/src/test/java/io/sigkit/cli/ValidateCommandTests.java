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

    static final String PROBES = """
            {
                "$schema": "https://sigkit.io/schemas/probes.v1.schema.json",
                "version": 1,
                "paths": [{"id": "calibration", "requirement": "ACME-FS-001", "path": "/opt/acme/calibration.bin",
                           "kind": "file", "owner": "root", "modeForbids": "0022", "access": ["read"]}],
                "sudo": [{"id": "camera-reset", "requirement": "ACME-PRIV-001", "command": ["/opt/acme/bin/camera", "--reset"]}]
            }
            """;

    @Test
    void a_probes_file_is_recognised_by_its_schema_and_validated_as_probes() throws Exception {
        // GIVEN a probes file naming probes.v1 as its $schema, beside a window config
        Path probes = write(dir, "probes.json", PROBES);
        Path config = write(dir, "7.json", "{\"version\": 1, \"signal_parameters\": {}}");
        // WHEN both are validated
        Execution e = sigkit("validate", probes.toString(), config.toString());
        // THEN each is valid against its own schema
        assertThat(e.exitCode()).as("%s", e).isZero();
        assertThat(e.out().lines()).containsExactly(probes + ": valid (probes.v1: 2 probes)", config + ": valid");
    }

    @Test
    void a_probes_file_with_a_catalog_id_is_invalid_with_one_line_naming_it() throws Exception {
        // GIVEN a probes file whose probe claims a catalog requirement ID
        Path probes = write(dir, "probes.json", PROBES.replace("ACME-FS-001", "SIG-FS-001"));
        // WHEN it is validated
        Execution e = sigkit("validate", probes.toString());
        // THEN exit 1, one line naming the file and the rule
        assertThat(e.exitCode()).as("%s", e).isEqualTo(1);
        assertThat(e.errLines()).containsExactly("probes file " + probes + ": paths probe 'calibration': requirement"
                + " 'SIG-FS-001' is not a user requirement ID (an upper-case prefix other than SIG, an area and three"
                + " digits, joined by '-': ACME-FS-001)");
    }

    @Test
    void with_probes_every_file_is_validated_against_probes_v1_with_pointers() throws Exception {
        // GIVEN a file without $schema whose path is relative
        Path probes = write(dir, "p.json", "{\"version\": 1, \"paths\": [{\"id\": \"x\", \"requirement\": \"ACME-FS-001\","
                + " \"path\": \"opt/x\", \"kind\": \"file\"}]}");
        // WHEN it is validated with --probes
        Execution e = sigkit("validate", "--probes", probes.toString());
        // THEN the error names file, line, column and pointer
        assertThat(e.exitCode()).as("%s", e).isEqualTo(1);
        assertThat(e.errLines()).anySatisfy(l -> assertThat(l).startsWith(probes + ":1:").contains(" /paths/0/path: "));
    }
}
