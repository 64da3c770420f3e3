package io.sigkit.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How an inventory is read for both its readers (the CLI's certify --inventory and the JUnit extension's fleet): the
 * defaults merged under each target's own settings in a stable order, where each setting came from, file names next
 * to the inventory, and the values kept from being changed. Wrong inventories are covered where their messages are
 * shown: cli-runner's InventoryTests and junit-extension's FleetInventoryTests.
 */
class InventoryReadingTests {

    @TempDir
    Path dir;

    @Test
    void a_targets_settings_are_the_defaults_replaced_by_its_own_and_each_says_where_it_came_from() throws Exception {
        // GIVEN defaults and two targets, the first replacing one default and adding a setting
        Path file = Files.writeString(dir.resolve("fleet.yaml"), """
                defaults: {windowSeconds: 3, taskingUser: ops, identity: keys/bus}
                targets:
                  - {name: fm-1, target: "ssh://sigapi@10.0.0.2", taskingUser: night, strict: true}
                  - {name: fm-2, target: "ssh://sigapi@10.0.0.3"}
                """);
        // WHEN it is read
        Inventory inventory = Inventory.load(file);
        // THEN each target has the defaults in their order, replaced in place, then its own others
        Inventory.Target first = inventory.targets().get(0);
        assertThat(first.name()).isEqualTo("fm-1");
        assertThat(first.login()).isEqualTo("ssh://sigapi@10.0.0.2");
        assertThat(first.pointer()).isEqualTo("/targets/0");
        assertThat(first.settings().keySet()).containsExactly("windowSeconds", "taskingUser", "identity", "target",
                "strict");
        assertThat(first.settings().get("taskingUser").asText()).isEqualTo("night");
        assertThat(inventory.targets().get(1).settings().get("taskingUser").asText()).isEqualTo("ops");
        // AND each setting's pointer is the target's own, or the defaults'
        assertThat(first.pointerOf("taskingUser")).isEqualTo("/targets/0/taskingUser");
        assertThat(first.pointerOf("windowSeconds")).isEqualTo("/defaults/windowSeconds");
        assertThat(inventory.targets().get(1).pointerOf("target")).isEqualTo("/targets/1/target");
    }

    @Test
    void file_names_are_next_to_the_inventory_or_in_the_home_directory() throws Exception {
        // GIVEN an inventory in a directory of its own
        Path sub = Files.createDirectories(dir.resolve("lab"));
        Path file = Files.writeString(sub.resolve("fleet.json"),
                "{\"targets\": [{\"name\": \"a\", \"target\": \"ssh://u@h\"}]}");
        // WHEN file names of its settings are resolved
        Inventory inventory = Inventory.load(file);
        // THEN a relative one is next to it, ~/ is the home directory, an absolute one stays
        Path home = Path.of(System.getProperty("user.home"));
        assertThat(inventory.resolve("keys/bus")).isEqualTo(sub.toAbsolutePath().resolve("keys/bus").toString());
        assertThat(inventory.resolve("~/.ssh/id")).isEqualTo(home.resolve(".ssh/id").toString());
        assertThat(inventory.resolve("/etc/known")).isEqualTo("/etc/known");
    }

    @Test
    void a_targets_settings_cannot_be_changed_through_what_it_returns() throws Exception {
        // GIVEN a target read from an inventory
        Path file = Files.writeString(dir.resolve("fleet.yaml"), """
                targets:
                  - {name: a, target: "ssh://u@h", include: [environment]}
                """);
        Inventory.Target target = Inventory.load(file).targets().get(0);
        Map<String, JsonNode> settings = target.settings();
        // WHEN its map is changed, THEN that is refused
        assertThatThrownBy(() -> settings.put("strict", null)).isInstanceOf(UnsupportedOperationException.class);
        // AND a record made from a node that is changed afterwards keeps the value it was made with
        ObjectNode node = JsonNodeFactory.instance.objectNode().put("k", "v");
        Inventory.Target copy = new Inventory.Target("b", "ssh://u@h", "/targets/1", Map.of("x", node),
                Set.of("x"));
        node.put("k", "changed");
        assertThat(copy.settings().get("x").get("k").asText()).isEqualTo("v");
    }
}
