package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sigkit.catalog.Level;
import io.sigkit.catalog.Tier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VariantsTests {

    @TempDir
    Path dir;

    @Test
    void a_broken_variant_is_read_with_its_level_alsoFails_and_cause_words() throws Exception {
        // GIVEN a variants file with a broken variant that names a second requirement, and one with upOptions absent
        Path file = Files.writeString(dir.resolve("variants.json"), """
                {"variants": [
                  {"name": "no-sudo", "kind": "broken", "requirement": "SIG-PRIV-001", "level": "REQUIRED",
                   "expectedOutcome": "FAIL", "description": "no sudo at all", "upOptions": ["--no-sudo"],
                   "alsoFails": [{"requirement": "SIG-PRIV-002", "why": "no sudo for shutdown either"}],
                   "messageContains": ["sudo", "password"]},
                  {"name": "start-overruns-end", "kind": "broken", "requirement": "SIG-START-004",
                   "level": "RECOMMENDED", "expectedOutcome": "FAIL", "description": "runs past -t",
                   "tiers": ["destructive"], "alsoFails": [], "messageContains": ["after the end time"]}
                ]}
                """);

        // WHEN it is read
        List<Variant> variants = Variants.read(file).variants();

        // THEN every field is typed (level, tiers), and the requirements it may fail are its own and its alsoFails
        assertThat(variants).containsExactly(
                new Variant("no-sudo", Variant.Kind.BROKEN, "SIG-PRIV-001", Level.REQUIRED,
                        Variant.ExpectedOutcome.FAIL, "no sudo at all", List.of("--no-sudo"), Set.of(),
                        List.of(new Variant.AlsoFails("SIG-PRIV-002", "no sudo for shutdown either")),
                        List.of("sudo", "password")),
                new Variant("start-overruns-end", Variant.Kind.BROKEN, "SIG-START-004", Level.RECOMMENDED,
                        Variant.ExpectedOutcome.FAIL, "runs past -t", List.of(), Set.of(Tier.DESTRUCTIVE),
                        List.of(), List.of("after the end time")));
        assertThat(variants.get(0).mayFail()).containsExactlyInAnyOrder("SIG-PRIV-001", "SIG-PRIV-002");
        assertThat(variants.get(1).mayFail()).containsExactly("SIG-START-004");
        assertThat(variants.get(0).spec().variant()).hasValue("no-sudo");
    }

    @Test
    void conformant_and_hostile_variants_fail_nothing_and_a_conformant_one_may_name_what_it_must_pass()
            throws Exception {
        // GIVEN a conformant variant with a requirement, one without, and a hostile one
        Path file = Files.writeString(dir.resolve("variants.json"), """
                {"variants": [
                  {"name": "truth-sudo-with-arguments", "kind": "conformant", "requirement": "SIG-PRIV-001",
                   "level": "REQUIRED", "expectedOutcome": "PASS", "description": "sudo with the bus's arguments"},
                  {"name": "truth-configure-7s", "kind": "conformant", "description": "slow but legal"},
                  {"name": "hostile-ansi-stderr", "kind": "hostile", "description": "writes ANSI on stderr"}
                ]}
                """);

        // WHEN it is read
        List<Variant> variants = Variants.read(file).variants();

        // THEN the first must PASS its requirement, and none may fail anything
        assertThat(variants).extracting(Variant::kind).containsExactly(Variant.Kind.CONFORMANT,
                Variant.Kind.CONFORMANT, Variant.Kind.HOSTILE);
        assertThat(variants.get(0).expectedOutcome()).isEqualTo(Variant.ExpectedOutcome.PASS);
        assertThat(variants.get(1).requirement()).isNull();
        assertThat(variants.get(1).expectedOutcome()).isNull();
        assertThat(variants).allSatisfy(v -> assertThat(v.mayFail()).isEmpty());
        assertThat(variants.get(2).hostile()).isTrue();
    }

    @Test
    void an_entry_that_breaks_the_schema_is_refused_naming_the_file_and_the_pointer() throws Exception {
        // GIVEN a broken variant without its cause words, a hostile one that claims a requirement, an unknown kind
        Path noWords = Files.writeString(dir.resolve("no-words.json"), """
                {"variants": [{"name": "x", "kind": "broken", "requirement": "SIG-CONF-001", "level": "REQUIRED",
                               "expectedOutcome": "FAIL", "description": "d", "alsoFails": []}]}
                """);
        Path claims = Files.writeString(dir.resolve("claims.json"), """
                {"variants": [{"name": "hostile-x", "kind": "hostile", "requirement": "SIG-CONF-001",
                               "level": "REQUIRED", "description": "d"}]}
                """);
        Path unknown = Files.writeString(dir.resolve("unknown.json"), """
                {"variants": [{"name": "x", "kind": "sideways", "description": "d"}]}
                """);
        Path badId = Files.writeString(dir.resolve("bad-id.json"), """
                {"variants": [{"name": "x", "kind": "broken", "requirement": "CONF-1", "level": "REQUIRED",
                               "expectedOutcome": "FAIL", "description": "d", "alsoFails": [],
                               "messageContains": ["w"]}]}
                """);

        // WHEN they are read, THEN each is refused with the file, the entry's pointer and the keyword at fault
        assertThatThrownBy(() -> Variants.read(noWords)).isInstanceOf(TestbedException.class)
                .hasMessageContaining(noWords.toString()).hasMessageContaining("/variants/0")
                .hasMessageContaining("messageContains");
        assertThatThrownBy(() -> Variants.read(claims)).hasMessageContaining("/variants/0/requirement");
        assertThatThrownBy(() -> Variants.read(unknown)).hasMessageContaining("/variants/0/kind");
        assertThatThrownBy(() -> Variants.read(badId)).hasMessageContaining("/variants/0/requirement")
                .hasMessageContaining("pattern");
        Path noArray = Files.writeString(dir.resolve("other.json"), "{}");
        assertThatThrownBy(() -> Variants.read(noArray)).hasMessageContaining("variants");
    }

    @Test
    void what_the_schema_cannot_say_is_refused_by_the_record() throws Exception {
        // GIVEN a variant listed twice, and a broken variant whose alsoFails names its own requirement
        Path twice = Files.writeString(dir.resolve("twice.json"), """
                {"variants": [{"name": "x", "kind": "conformant", "description": "d"},
                              {"name": "x", "kind": "conformant", "description": "e"}]}
                """);
        Path own = Files.writeString(dir.resolve("own.json"), """
                {"variants": [{"name": "x", "kind": "broken", "requirement": "SIG-CONF-001", "level": "REQUIRED",
                               "expectedOutcome": "FAIL", "description": "d", "messageContains": ["w"],
                               "alsoFails": [{"requirement": "SIG-CONF-001", "why": "itself"}]}]}
                """);

        // WHEN they are read, THEN both are refused naming the entry
        assertThatThrownBy(() -> Variants.read(twice)).hasMessageContaining("variants[1]")
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> Variants.read(own)).hasMessageContaining("variants[0]")
                .hasMessageContaining("alsoFails names its own requirement");
    }

    @Test
    void the_testbeds_own_list_reads_and_names_unknown_variants() {
        // GIVEN the testbed's variants.json, WHEN it is read
        List<Variant> all = Variants.all();

        // THEN it holds variants of every kind, and an unknown name is refused naming the known ones
        assertThat(all).extracting(Variant::kind).contains(Variant.Kind.values());
        assertThat(all).extracting(Variant::name).doesNotHaveDuplicates();
        assertThat(all).filteredOn(Variant::conformant).extracting(Variant::name)
                .contains("truth-configure-7s", "truth-daemon-handoff");
        assertThat(Variants.named(all.get(0).name())).isEqualTo(all.get(0));
        assertThatThrownBy(() -> Variants.named("no-such-variant")).hasMessageContaining("'no-such-variant'")
                .hasMessageContaining(all.get(0).name());
    }
}
