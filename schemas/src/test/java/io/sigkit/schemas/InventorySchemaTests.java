package io.sigkit.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The inventory of {@code sigkit certify --inventory}: what it accepts, and where it points at a mistake. */
class InventorySchemaTests {

    private final SchemaValidator validator = SchemaValidator.of(SchemaId.INVENTORY_V1);

    @Test
    void accepts_defaults_and_targets_with_their_own_settings() {
        // GIVEN defaults and two targets, one overriding a setting
        String inventory = """
                {"inventoryVersion": 1,
                 "defaults": {"taskingUser": "ops", "windowSeconds": 3, "tiers": ["reversible"],
                              "include": "environment,SIG-CONF-002", "identity": "keys/bus"},
                 "targets": [
                   {"name": "fm-001", "target": "ssh://sigapi@10.0.0.2:22", "knownHosts": "kh"},
                   {"name": "fm_002.b", "target": "ssh://sigapi@10.0.0.3", "identity": ["a", "b"], "repetitions": 5}
                 ]}
                """;
        // WHEN validated THEN it is valid
        ValidationReport report = validator.validateText(inventory, "fleet.json");
        assertThat(report.valid()).as(report.describe()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc", "a/b", ".hidden", "-x", "", "a b", "name\u001b[31m"})
    void a_name_that_is_not_a_plain_directory_name_is_rejected_at_its_pointer(String name) {
        // GIVEN a target whose name would not be a plain directory name
        String inventory = "{\"targets\": [{\"name\": \"ok\", \"target\": \"ssh://u@h\"},"
                + " {\"name\": " + com.fasterxml.jackson.databind.node.TextNode.valueOf(name) + ", \"target\": \"ssh://u@h\"}]}";
        // WHEN validated
        ValidationReport report = validator.validateText(inventory, "fleet.json");
        // THEN the error points at that target's name
        assertThat(report.valid()).isFalse();
        assertThat(report.errors()).extracting(ValidationError::pointer).contains("/targets/1/name");
    }

    @Test
    void an_unknown_setting_is_rejected_by_name_in_defaults_and_in_a_target() {
        // GIVEN a misspelt setting in the defaults and in a target
        String inventory = """
                {"defaults": {"windowSecond": 3},
                 "targets": [{"name": "fm-001", "target": "ssh://u@h", "identty": "k"}]}
                """;
        // WHEN validated
        ValidationReport report = validator.validateText(inventory, "fleet.json");
        // THEN each is named by its pointer
        assertThat(report.errors()).extracting(ValidationError::pointer)
                .contains("/defaults/windowSecond", "/targets/0/identty");
    }

    @Test
    void a_target_without_a_login_or_an_empty_fleet_is_rejected() {
        assertThat(validator.validateText("{\"targets\": [{\"name\": \"a\"}]}", "f").errors())
                .extracting(ValidationError::pointer).contains("/targets/0");
        assertThat(validator.validateText("{\"targets\": []}", "f").errors())
                .extracting(ValidationError::pointer).contains("/targets");
    }
}
