package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sigkit.catalog.Requirement;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.testbed.Testbed;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Proves that every requirement's FAIL path is proven: by a unit test of this package, or by a broken variant of the
 * testbed that is expected to FAIL it (testbed/payloads/variants.json).
 *
 * <p>The naming rule: a {@code @Test} method of a {@code *Tests} class in {@code io.sigkit.check} whose name starts with
 * {@code SIG_<AREA>_<NNN>_fails_} proves the FAIL path of {@code SIG-<AREA>-<NNN>} (e.g.
 * {@code SIG_FS_002_fails_when_the_shebang_ends_in_CR}); {@code _is_error_}, {@code _is_skipped_} and
 * {@code _is_not_verified_} name the other branches the same way.
 */
class FailPathCoverageTests {
    private static final Pattern FAIL_TEST = Pattern.compile("(SIG_[A-Z]+_[0-9]{3})_fails_.*");
    private static final Pattern ANY_ID_TEST = Pattern.compile("(SIG_[A-Z]+_[0-9]{3})_.*");

    /** Test method names of this package's test classes, by class. */
    private static Map<String, List<String>> testMethods() throws Exception {
        URL here = FailPathCoverageTests.class.getResource("FailPathCoverageTests.class");
        File dir = new File(here.toURI()).getParentFile();
        Map<String, List<String>> methods = new TreeMap<>();
        for (File f : dir.listFiles((d, name) -> name.endsWith("Tests.class"))) {
            String name = FailPathCoverageTests.class.getPackageName() + "." + f.getName().replace(".class", "");
            Class<?> c = Class.forName(name);
            List<String> names = new ArrayList<>();
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(Test.class)) {
                    names.add(m.getName());
                }
            }
            methods.put(c.getSimpleName(), names);
        }
        return methods;
    }

    private static Set<String> provenByUnitTests() throws Exception {
        Set<String> ids = new TreeSet<>();
        for (List<String> names : testMethods().values()) {
            for (String n : names) {
                Matcher m = FAIL_TEST.matcher(n);
                if (m.matches()) {
                    ids.add(m.group(1).replace('_', '-'));
                }
            }
        }
        return ids;
    }

    private static Set<String> provenByVariants() throws Exception {
        Path file = Testbed.home().resolve("payloads").resolve("variants.json");
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Set<String> ids = new TreeSet<>();
        for (JsonNode v : root.path("variants")) {
            if (v.path("requirement").isTextual() && "FAIL".equals(v.path("expectedOutcome").asText())) {
                ids.add(v.get("requirement").asText());
            }
        }
        return ids;
    }

    @Test
    void every_requirements_fail_path_is_proven_by_a_unit_test_or_a_variant() throws Exception {
        // GIVEN the FAIL paths the unit tests name and those the broken variants break
        Set<String> units = provenByUnitTests();
        Set<String> variants = provenByVariants();
        // WHEN every catalog requirement is looked up in either
        RequirementCatalog catalog = RequirementCatalog.load();
        List<String> unproven = unproven(catalog.profileNames().stream().flatMap(p -> catalog.requirements(p).stream())
                .map(Requirement::id).toList(), units, variants);
        // THEN none is missing
        assertThat(unproven).as("requirements whose FAIL path no unit test (SIG_X_NNN_fails_…) and no variant proves")
                .isEmpty();
    }

    /** The requirements whose FAIL path neither a unit test nor a variant proves. */
    static List<String> unproven(List<String> requirements, Set<String> units, Set<String> variants) {
        List<String> unproven = new ArrayList<>();
        for (String id : requirements) {
            if (!units.contains(id) && !variants.contains(id)) {
                unproven.add(id);
            }
        }
        return unproven;
    }

    @Test
    void the_mapping_names_a_requirement_that_neither_proves() {
        // GIVEN three requirements, one proven by a unit test, one by a variant, one by neither
        List<String> missing = unproven(List.of("SIG-ENV-001", "SIG-FS-001", "SIG-END-001"), Set.of("SIG-ENV-001"),
                Set.of("SIG-FS-001"));
        // THEN the mapping reports exactly the third
        assertThat(missing).containsExactly("SIG-END-001");
    }

    @Test
    void the_naming_rule_reads_the_requirement_of_a_fail_test_and_nothing_else() {
        assertThat(FAIL_TEST.matcher("SIG_FS_002_fails_when_the_shebang_ends_in_CR").replaceAll("$1")).isEqualTo("SIG_FS_002");
        assertThat(FAIL_TEST.matcher("SIG_FS_002_passes_for_a_binary_without_a_shebang").matches()).isFalse();
        assertThat(FAIL_TEST.matcher("SIG_FS_002_is_error_when_x").matches()).isFalse();
    }

    @Test
    void the_eight_requirements_without_a_variant_are_proven_by_unit_tests() throws Exception {
        assertThat(provenByUnitTests()).contains("SIG-ENV-001", "SIG-ENV-002", "SIG-ENV-004", "SIG-CFG-001", "SIG-CFG-002",
                "SIG-TIME-001", "SIG-TIME-002", "SIG-END-001");
    }

    @Test
    void every_test_named_for_a_requirement_names_one_of_the_catalog() throws Exception {
        // GIVEN the IDs in test method names (a typo would make a test prove nothing in the mapping)
        Set<String> catalog = new TreeSet<>();
        RequirementCatalog loaded = RequirementCatalog.load();
        loaded.profileNames().forEach(p -> loaded.requirements(p).forEach(r -> catalog.add(r.id())));
        List<String> unknown = new ArrayList<>();
        for (var e : testMethods().entrySet()) {
            for (String n : e.getValue()) {
                Matcher m = ANY_ID_TEST.matcher(n);
                if (m.matches() && !catalog.contains(m.group(1).replace('_', '-'))) {
                    unknown.add(e.getKey() + "." + n);
                }
            }
        }
        assertThat(unknown).isEmpty();
    }

    @Test
    void at_least_sixty_unit_tests_prove_check_branches() throws Exception {
        long branches = testMethods().values().stream().flatMap(List::stream)
                .filter(n -> ANY_ID_TEST.matcher(n).matches() && !n.contains("_passes")).count();
        assertThat(branches).isGreaterThanOrEqualTo(60);
    }
}
