package io.sigkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import io.sigkit.run.Certification;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of conformance-core, read from its compiled classes with ArchUnit: no package cycles, no dependency on the
 * modules built on it, and every public type on a checked-in allow-list ({@value #ALLOW_LIST}), so that widening the
 * API is a decision, not an accident. The module graph across all modules is checked by cli-runner's
 * {@code ModuleArchitectureTests}, which sees every module.
 *
 * <p>The rules are proven to fail: the same rule code runs against fixture packages in the test sources
 * ({@code io.sigkit.archfixture}: a ping ↔ pong package cycle, and a public type missing from a fixture allow-list).
 * On the real code too (done by hand, 2026-11-30): {@code static final Class<?> PROOF = io.sigkit.run.RunOptions.class;}
 * in {@code check.Checks} fails {@link #conformance_core_has_no_package_cycles()} with {@code Cycle detected: package
 * check -> package run -> package check}, and a new {@code public final class ProofType} in {@code check} fails
 * {@link #every_public_type_of_conformance_core_is_on_the_allow_list()} naming {@code io.sigkit.check.ProofType}.
 * ArchUnit reads bytecode: a cycle made only by a {@code {@link}} in javadoc is not seen.
 */
class CoreArchitectureTests {
    static final String ALLOW_LIST = "conformance-core/src/test/resources/architecture/conformance-core-public-types.txt";

    private static JavaClasses core;

    @BeforeAll
    static void import_conformance_core() throws URISyntaxException {
        // Every class of this module's main output (a directory or a jar), whatever its package.
        core = new ClassFileImporter().importLocations(
                Set.of(Location.of(Certification.class.getProtectionDomain().getCodeSource().getLocation().toURI())));
        assertThat(core.containPackage("io.sigkit.run")).as("conformance-core's classes were found").isTrue();
    }

    /** No cycle between the packages under {@code root}: each package can be read, tested and moved on its own. */
    static ArchRule packageCycles(String root) {
        return slices().matching(root + ".(*)..").namingSlices("package $1").should().beFreeOfCycles();
    }

    /** The public types of {@code classes} (nested ones too, when every enclosing type is public). */
    static SortedSet<String> publicTypes(JavaClasses classes) {
        return classes.stream().filter(CoreArchitectureTests::visible).map(JavaClass::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean visible(JavaClass c) {
        if (!c.getModifiers().contains(JavaModifier.PUBLIC) || c.isAnonymousClass() || c.isLocalClass()) {
            return false;
        }
        return c.getEnclosingClass().map(CoreArchitectureTests::visible).orElse(true);
    }

    /** What is wrong with {@code actual} against an allow-list, in words for the maintainer; empty when it matches. */
    static String allowListProblems(SortedSet<String> actual, SortedSet<String> allowed, String listFile) {
        SortedSet<String> added = new TreeSet<>(actual);
        added.removeAll(allowed);
        SortedSet<String> gone = new TreeSet<>(allowed);
        gone.removeAll(actual);
        StringBuilder b = new StringBuilder();
        if (!added.isEmpty()) {
            b.append(String.format("public types not on the allow-list: %s%n"
                    + "  A public type is API that users may come to depend on. Make it package-private if only its "
                    + "package uses it;%n  if it is meant to be public, add it deliberately to %s, under its "
                    + "package.%n", added, listFile));
        }
        if (!gone.isEmpty()) {
            b.append(String.format("on the allow-list but no longer public types: %s%n  Remove them from %s.%n",
                    gone, listFile));
        }
        return b.toString();
    }

    static SortedSet<String> readAllowList(String resource) throws IOException {
        try (InputStream in = CoreArchitectureTests.class.getResourceAsStream(resource)) {
            assertThat(in).as("resource %s", resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void conformance_core_has_no_package_cycles() {
        packageCycles("io.sigkit").check(core);
    }

    @Test
    void conformance_core_depends_on_no_module_built_on_it() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "io.sigkit.reports..", "io.sigkit.junit..", "io.sigkit.cli..", "io.sigkit.testcontainers..",
                        "io.sigkit.testbed..")
                .because("conformance-core sits under reports, junit-extension, testcontainers and cli-runner, and "
                        + "ships without the testbed")
                .check(core);
    }

    @Test
    void every_public_type_of_conformance_core_is_on_the_allow_list() throws IOException {
        // GIVEN the checked-in allow-list
        SortedSet<String> allowed = readAllowList("/architecture/conformance-core-public-types.txt");

        // WHEN compared with the public types compiled
        String problems = allowListProblems(publicTypes(core), allowed, ALLOW_LIST);

        // THEN they are the same
        assertThat(problems).as("conformance-core's public types").isEmpty();
    }

    @Test
    void the_cycle_rule_fails_on_a_package_cycle() {
        // GIVEN two fixture packages that use each other
        JavaClasses fixture = new ClassFileImporter().importPackages("io.sigkit.archfixture.cycle");

        // WHEN the rule of conformance_core_has_no_package_cycles checks them, THEN it names the cycle
        assertThatThrownBy(() -> packageCycles("io.sigkit.archfixture.cycle").check(fixture))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Cycle detected")
                .hasMessageContaining("package ping")
                .hasMessageContaining("package pong");
    }

    @Test
    void the_allow_list_rule_names_a_new_public_type_and_says_how_to_allow_it() {
        // GIVEN a fixture package with a public type that is not on its allow-list
        JavaClasses fixture = new ClassFileImporter().importPackages("io.sigkit.archfixture.api");
        SortedSet<String> allowed = new TreeSet<>(Set.of(
                "io.sigkit.archfixture.api.Listed", "io.sigkit.archfixture.api.Listed$Value"));

        // WHEN compared with the same code as every_public_type_of_conformance_core_is_on_the_allow_list
        String problems = allowListProblems(publicTypes(fixture), allowed, "fixture-list.txt");

        // THEN the new type is named, with what to do; package-private types are never asked for
        assertThat(problems).contains("public types not on the allow-list: [io.sigkit.archfixture.api.Unlisted]")
                .contains("add it deliberately to fixture-list.txt")
                .doesNotContain("Hidden").doesNotContain("no longer public");
    }

    @Test
    void the_allow_list_rule_names_an_entry_that_is_no_longer_public() {
        // GIVEN an allow-list with an entry for a type that does not exist (or is no longer public)
        JavaClasses fixture = new ClassFileImporter().importPackages("io.sigkit.archfixture.api");
        SortedSet<String> allowed = new TreeSet<>(Set.of("io.sigkit.archfixture.api.Listed",
                "io.sigkit.archfixture.api.Listed$Value", "io.sigkit.archfixture.api.Unlisted",
                "io.sigkit.archfixture.api.Gone"));

        // WHEN compared, THEN the stale entry is named
        assertThat(allowListProblems(publicTypes(fixture), allowed, "fixture-list.txt"))
                .isEqualTo(String.format("on the allow-list but no longer public types: "
                        + "[io.sigkit.archfixture.api.Gone]%n  Remove them from fixture-list.txt.%n"));
    }
}
