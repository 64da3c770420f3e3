package io.sigkit.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequirementTests {

    @Test
    void refuses_malformed_values_naming_the_requirement() {
        assertThatThrownBy(() -> requirement("CONF-2", Set.of("configure"), List.of("h")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'CONF-2'");
        assertThatThrownBy(() -> requirement("SIG-X-001", Set.of(), List.of("h")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SIG-X-001").hasMessageContaining("tag");
        assertThatThrownBy(() -> requirement("SIG-X-001", Set.of("time"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SIG-X-001").hasMessageContaining("hint");
        assertThatThrownBy(() -> requirement("SIG-X-001", Set.of("time"), List.of(" ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hint is blank");
    }

    @Test
    void tags_are_sorted_and_hints_keep_their_order() {
        Requirement requirement = requirement("SIG-X-001", Set.of("timing", "configure", "end"), List.of("second", "first"));

        assertThat(requirement.tags()).containsExactly("configure", "end", "timing");
        assertThat(requirement.hints()).containsExactly("second", "first");
        assertThat(requirement.displayName()).isEqualTo("SIG-X-001 [REQUIRED] a title");
    }

    @Test
    void tiers_map_to_their_json_names() {
        for (Tier tier : Tier.values()) {
            assertThat(Tier.fromJsonName(tier.jsonName())).isEqualTo(tier);
        }
        assertThat(Tier.BUS_EQUIVALENT.jsonName()).isEqualTo("bus-equivalent");
        assertThatThrownBy(() -> Tier.fromJsonName("BUS_EQUIVALENT"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'BUS_EQUIVALENT'")
                .hasMessageContaining("bus-equivalent");
    }

    @Test
    void window_id_ranges_refuse_empty_or_negative_ranges() {
        assertThatThrownBy(() -> new WindowIdRange(5, 4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5..4");
        assertThatThrownBy(() -> new WindowIdRange(-1, 4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThat(new WindowIdRange(7, 7).size()).isEqualTo(1);
        assertThat(new WindowIdRange(7, 9)).hasToString("7..9");
    }

    private static Requirement requirement(String id, Set<String> tags, List<String> hints) {
        return new Requirement(id, Level.REQUIRED, "a title", "Window Start", null, "how", "evidence", Tier.READ_ONLY,
                tags, hints, false);
    }
}
