package io.sigkit.cli;

import static io.sigkit.cli.SigkitTestCase.assertOneLineError;
import static io.sigkit.cli.SigkitTestCase.sigkit;
import static io.sigkit.cli.SigkitTestCase.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigkit.cli.SigkitTestCase.Execution;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code certify --inventory} with inventories that are wrong: each is refused with one line naming the file and
 * where in it, before anything is certified. And how an inventory's settings become each target's flags.
 */
class InventoryTests {

    @TempDir
    Path dir;

    private Execution certify(Path inventory, String... more) {
        List<String> args = new ArrayList<>(List.of("certify", "--inventory", inventory.toString(), "--report-dir",
                dir.resolve("out").toString()));
        args.addAll(List.of(more));
        return sigkit(args.toArray(String[]::new));
    }

    @Test
    void json_that_does_not_parse_is_one_line_naming_the_file_line_and_column() throws Exception {
        // GIVEN an inventory with a missing comma on line 2
        Path inv = write(dir, "fleet.json", "{\"targets\": [\n {\"name\": \"a\" \"target\": \"ssh://u@h\"}]}\n");
        // WHEN certified
        Execution e = certify(inv);
        // THEN exit 64, one line naming file:line:col, nothing written
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains("invalid inventory " + inv + ":2:");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void a_schema_error_in_yaml_names_the_file_and_the_json_pointer() throws Exception {
        // GIVEN a YAML inventory whose second target misspells a setting
        Path inv = write(dir, "fleet.yaml", """
                defaults:
                  windowSeconds: 3
                targets:
                  - name: fm-001
                    target: ssh://sigapi@10.0.0.2
                  - name: fm-002
                    target: ssh://sigapi@10.0.0.3
                    identty: keys/bus
                """);
        // WHEN certified
        Execution e = certify(inv);
        // THEN one line names the file and /targets/1/identty
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains(inv.toString()).contains("/targets/1/identty");
    }

    @Test
    void a_name_with_a_path_trick_or_control_characters_is_refused_and_shown_escaped() throws Exception {
        // GIVEN targets named to escape the report directory, and with a terminal escape
        Path traversal = write(dir, "t.yaml", "targets:\n  - {name: \"../../etc\", target: ssh://u@h}\n");
        Path ansi = write(dir, "a.json", "{\"targets\": [{\"name\": \"x\\u001b]0;pwned\\u0007\", \"target\": \"ssh://u@h\"}]}");
        // WHEN certified
        Execution e1 = certify(traversal);
        Execution e2 = certify(ansi);
        // THEN each is one line naming the name's pointer; the escape is shown, not sent
        for (Execution e : List.of(e1, e2)) {
            assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
            assertOneLineError(e);
            assertThat(e.err()).contains("/targets/0/name").doesNotContain("\u001b").doesNotContain("\u0007");
        }
        assertThat(dir.resolve("etc")).doesNotExist();
    }

    @Test
    void names_that_clash_ignoring_case_or_with_a_summary_file_are_refused() throws Exception {
        Path dup = write(dir, "d.yaml", "targets:\n  - {name: FM-1, target: ssh://u@a}\n  - {name: fm-1, target: ssh://u@b}\n");
        Path reserved = write(dir, "r.yaml", "targets:\n  - {name: Index.html, target: ssh://u@a}\n");
        Execution e1 = certify(dup);
        Execution e2 = certify(reserved);
        assertThat(e1.exitCode()).isEqualTo(64);
        assertThat(e1.err()).contains("/targets/1/name").contains("already the name of /targets/0");
        assertThat(e2.exitCode()).isEqualTo(64);
        assertThat(e2.err()).contains("/targets/0/name").contains("fleet summary file");
    }

    @Test
    void a_target_setting_that_certify_refuses_names_the_target_and_its_file() throws Exception {
        // GIVEN a second target whose identity file does not exist (relative: next to the inventory)
        Path key = write(dir, "bus", "not used");
        Path inv = write(dir, "fleet.yaml", """
                defaults: {identity: bus}
                targets:
                  - {name: fm-001, target: "ssh://sigapi@10.0.0.2"}
                  - {name: fm-002, target: "ssh://sigapi@10.0.0.3", identity: missing-key}
                """);
        // WHEN certified
        Execution e = certify(inv);
        // THEN one line names the inventory, the target's pointer and name, and the missing file
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains("inventory " + inv + " /targets/1 (fm-002)")
                .contains(dir.resolve("missing-key").toString());
        assertThat(key).exists();
    }

    @Test
    void fleet_options_are_refused_where_they_make_no_sense() throws Exception {
        Path inv = write(dir, "fleet.yaml", "targets:\n  - {name: a, target: ssh://u@h}\n");
        Execution withTarget = certify(inv, "--target", "ssh://u@other");
        Execution noReportDir = sigkit("certify", "--inventory", inv.toString());
        Execution tooParallel = certify(inv, "--parallel", "0");
        Execution parallelAlone = sigkit("certify", "--parallel", "2", "--target", "ssh://u@h");
        assertThat(withTarget.err()).contains("--target cannot be combined with --inventory");
        assertThat(noReportDir.err()).contains("--inventory needs --report-dir DIR");
        assertThat(tooParallel.err()).contains("--parallel must be 1 to 32, was 0");
        assertThat(parallelAlone.err()).contains("--parallel goes with --inventory");
        for (Execution e : List.of(withTarget, noReportDir, tooParallel, parallelAlone)) {
            assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
            assertOneLineError(e);
        }
    }

    @Test
    void settings_become_flags_with_the_targets_replacing_the_defaults_and_the_command_line_replacing_both()
            throws Exception {
        // GIVEN defaults, a target overriding one, and a flag given on the command line
        Path inv = write(dir, "fleet.yaml", """
                defaults: {windowSeconds: 3, taskingUser: ops, tiers: [reversible, destructive], include: [environment]}
                targets:
                  - {name: a, target: "ssh://u@h", taskingUser: night, identity: [k1, ~/k2], strict: true}
                """);
        // WHEN it is read with --allow-destructive and --include given on the command line
        Inventory inventory = Inventory.load(inv, Set.of("--allow-destructive", "--include"));
        // THEN the target's flags: its own tasking user, files resolved, the command line's flags left to it
        assertThat(inventory.targets()).hasSize(1);
        assertThat(inventory.targets().get(0).arguments()).containsExactly("--window-seconds=3", "--tasking-user=night",
                "--allow-clock-set", "--target=ssh://u@h", "--identity=" + dir.resolve("k1"),
                "--identity=" + Path.of(System.getProperty("user.home")).resolve("k2"), "--strict");
    }

    @Test
    void every_setting_of_the_schema_has_its_flag_and_every_flag_is_a_certify_option() {
        // GIVEN the settings inventory.v1 allows
        JsonNode schema = SchemaValidator.of(SchemaId.INVENTORY_V1).schemaDocument();
        List<String> inSchema = new ArrayList<>();
        schema.at("/$defs/settings/properties").fieldNames().forEachRemaining(inSchema::add);
        inSchema.add("target");
        // THEN the kit maps exactly those
        assertThat(Inventory.settingNames()).containsExactlyInAnyOrderElementsOf(inSchema);
        // AND each tier flag is an option of certify
        picocli.CommandLine certify = Sigkit.commandLine().getSubcommands().get("certify");
        Inventory.TIER_FLAGS.values().forEach(f -> assertThat(certify.getCommandSpec().findOption(f)).as(f).isNotNull());
        assertThat(Files.exists(dir)).isTrue();
    }
}
