package io.sigkit;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.cli.Main;
import io.sigkit.junit.SignalingConformance;
import io.sigkit.reports.Reports;
import io.sigkit.run.Certification;
import io.sigkit.testbed.Testbed;
import io.sigkit.testcontainers.SignalingPayloadContainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module graph of sigkit, read from the compiled main classes of every module with ArchUnit (cli-runner's test
 * classpath holds them all): no package cycle anywhere under {@code io.sigkit}, and the modules used only downwards:
 * schemas ← conformance-core ← reports, junit-extension ← testcontainers ← cli-runner; the testbed (used by cli-runner's
 * demo) stands apart. Maven's module dependencies already forbid most wrong edges; this test states the intended graph
 * and catches a dependency added to a pom against it. A module is the set of classes loaded from its output (directory
 * or jar), whatever their packages, so a new package is covered without editing this test.
 *
 * <p>Proof that the cycle rule fails: conformance-core's {@code CoreArchitectureTests} runs the same slices rule on a
 * fixture cycle. Proof that the layer rule fails (done by hand, 2026-11-30): with sigkit-reports added to
 * junit-extension's pom and {@code static final Class<?> PROOF = io.sigkit.reports.Reports.class;} in
 * {@code SigkitAssertions}, {@link #modules_are_used_only_downwards()} fails with
 * {@code where layer 'reports' may only be accessed by layers ['cli-runner']' was violated (1 times): Static Initializer
 * <io.sigkit.junit.SigkitAssertions.<clinit>()> references class object <io.sigkit.reports.Reports>}.
 */
class ModuleArchitectureTests {
    private static JavaClasses sigkit;

    @BeforeAll
    static void import_every_module() {
        sigkit = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.sigkit");
        assertThat(sigkit.stream().map(ModuleArchitectureTests::module).distinct().count())
                .as("classes found from every module").isEqualTo(7);
    }

    @Test
    void no_package_of_sigkit_is_part_of_a_cycle() {
        slices().matching("io.sigkit.(*)..").namingSlices("package $1").should().beFreeOfCycles().check(sigkit);
    }

    @Test
    void modules_are_used_only_downwards() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("schemas").definedBy(in(RequirementCatalog.class))
                .layer("testbed").definedBy(in(Testbed.class))
                .layer("conformance-core").definedBy(in(Certification.class))
                .layer("reports").definedBy(in(Reports.class))
                .layer("junit-extension").definedBy(in(SignalingConformance.class))
                .layer("testcontainers").definedBy(in(SignalingPayloadContainer.class))
                .layer("cli-runner").definedBy(in(Main.class))
                .whereLayer("cli-runner").mayNotBeAccessedByAnyLayer()
                .whereLayer("testcontainers").mayOnlyBeAccessedByLayers("cli-runner")
                .whereLayer("reports").mayOnlyBeAccessedByLayers("cli-runner")
                .whereLayer("junit-extension").mayOnlyBeAccessedByLayers("testcontainers", "cli-runner")
                .whereLayer("conformance-core")
                .mayOnlyBeAccessedByLayers("reports", "junit-extension", "testcontainers", "cli-runner")
                .whereLayer("testbed").mayOnlyBeAccessedByLayers("cli-runner")
                .check(sigkit);
    }

    /** The classes loaded from the same output (directory or jar) as {@code anchor}: one module. */
    private static DescribedPredicate<JavaClass> in(Class<?> anchor) {
        String module = module(sigkit.get(anchor));
        return DescribedPredicate.describe("classes of " + module, c -> module.equals(module(c)));
    }

    /** The output (directory or jar) a class was read from: its class file's URI without the package path. */
    private static String module(JavaClass c) {
        String uri = c.getSource().orElseThrow(() -> new IllegalStateException("no source for " + c.getName()))
                .getUri().toString();
        String path = c.getName().replace('.', '/') + ".class";
        assertThat(uri).as("class file of %s", c.getName()).endsWith(path);
        return uri.substring(0, uri.length() - path.length());
    }
}
