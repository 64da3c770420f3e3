package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VariantsTests {

    @TempDir
    Path dir;

    @Test
    void readsEveryFieldWithUpOptionsOptional() throws Exception {
        Path file = Files.writeString(dir.resolve("variants.json"), """
                {"variants": [
                  {"name": "configure-exit-1", "requirement": "SIG-CONF-001", "level": "REQUIRED",
                   "description": "configure always exits 1", "upOptions": ["--no-sudo"], "expectedOutcome": "FAIL"},
                  {"name": "start-overruns-end", "requirement": "SIG-START-004", "level": "RECOMMENDED",
                   "description": "runs past -t", "expectedOutcome": "FAIL"}
                ]}
                """);

        List<Variant> variants = Variants.read(file);

        assertThat(variants).containsExactly(
                new Variant("configure-exit-1", "SIG-CONF-001", "REQUIRED", "configure always exits 1",
                        List.of("--no-sudo"), "FAIL"),
                new Variant("start-overruns-end", "SIG-START-004", "RECOMMENDED", "runs past -t", List.of(),
                        "FAIL"));
        assertThat(variants.get(0).spec().variant()).hasValue("configure-exit-1");
    }

    @Test
    void aHostileVariantHasNoRequirementAndMayNotClaimOne() throws Exception {
        Path file = Files.writeString(dir.resolve("variants.json"), """
                {"variants": [
                  {"name": "hostile-ansi-stderr", "kind": "hostile", "description": "writes ANSI on stderr"},
                  {"name": "configure-exit-1", "requirement": "SIG-CONF-001", "level": "REQUIRED",
                   "description": "configure always exits 1", "expectedOutcome": "FAIL"}
                ]}
                """);

        List<Variant> variants = Variants.read(file);

        assertThat(variants.get(0)).isEqualTo(new Variant("hostile-ansi-stderr", null, null, "writes ANSI on stderr",
                List.of(), null, Variant.Kind.HOSTILE));
        assertThat(variants.get(0).hostile()).isTrue();
        assertThat(variants.get(1).hostile()).isFalse();
        assertThat(variants.get(1).kind()).isEqualTo(Variant.Kind.BROKEN);
        Path claims = Files.writeString(dir.resolve("claims.json"), """
                {"variants": [{"name": "hostile-x", "kind": "hostile", "requirement": "SIG-CONF-001",
                               "description": "d"}]}
                """);
        assertThatThrownBy(() -> Variants.read(claims)).hasMessageContaining("variants[0]")
                .hasMessageContaining("no requirement");
        Path unknown = Files.writeString(dir.resolve("unknown.json"), """
                {"variants": [{"name": "x", "kind": "evil", "description": "d"}]}
                """);
        assertThatThrownBy(() -> Variants.read(unknown)).hasMessageContaining("kind 'evil'");
    }

    @Test
    void a_conformant_variant_has_no_requirement_and_one_with_a_requirement_is_refused() throws Exception {
        // GIVEN a conformant entry, and one that claims a requirement too
        Path file = Files.writeString(dir.resolve("variants.json"), """
                {"variants": [{"name": "truth-configure-7s", "kind": "conformant", "description": "slow but legal"}]}
                """);
        Path bad = Files.writeString(dir.resolve("bad.json"), """
                {"variants": [{"name": "x", "kind": "conformant", "description": "d", "requirement": "SIG-CONF-002"}]}
                """);
        Path unknown = Files.writeString(dir.resolve("unknown.json"), """
                {"variants": [{"name": "x", "kind": "sideways", "description": "d"}]}
                """);

        // WHEN they are read, THEN the first is conformant with no requirement, the others are refused by name
        Variant v = Variants.read(file).get(0);
        assertThat(v.conformant()).isTrue();
        assertThat(v.requirement()).isNull();
        assertThat(v.expectedOutcome()).isNull();
        assertThat(Variants.all()).filteredOn(Variant::conformant).extracting(Variant::name)
                .contains("truth-configure-7s", "truth-daemon-handoff");
        assertThatThrownBy(() -> Variants.read(bad)).hasMessageContaining("variants[0]")
                .hasMessageContaining("'requirement'");
        assertThatThrownBy(() -> Variants.read(unknown)).hasMessageContaining("'sideways'");
    }

    @Test
    void aBadEntryIsNamedWithItsFile() throws Exception {
        Path file = Files.writeString(dir.resolve("variants.json"), """
                {"variants": [{"name": "x", "requirement": "CONF-1", "level": "REQUIRED",
                               "description": "d", "expectedOutcome": "FAIL"}]}
                """);

        assertThatThrownBy(() -> Variants.read(file)).isInstanceOf(TestbedException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("variants[0]")
                .hasMessageContaining("'CONF-1'");
        Path noArray = Files.writeString(dir.resolve("other.json"), "{}");
        assertThatThrownBy(() -> Variants.read(noArray)).hasMessageContaining("no \"variants\" array");
    }

    @Test
    void theTestbedsOwnListReadsAndNamesUnknownVariants() {
        List<Variant> all = Variants.all();

        assertThat(all).isNotEmpty();
        assertThat(all).extracting(Variant::name).doesNotHaveDuplicates();
        assertThat(Variants.named(all.get(0).name())).isEqualTo(all.get(0));
        assertThatThrownBy(() -> Variants.named("no-such-variant")).hasMessageContaining("'no-such-variant'")
                .hasMessageContaining(all.get(0).name());
    }
}
