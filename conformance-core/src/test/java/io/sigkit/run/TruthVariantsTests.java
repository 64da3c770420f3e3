package io.sigkit.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.check.Outcome;
import io.sigkit.check.RequirementResult;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import io.sigkit.testbed.Variant;
import io.sigkit.testbed.Variants;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kit tested on conformant payloads it once failed (issue 10's false FAILs): each conformant variant that names a
 * requirement (expected outcome PASS) is unlike the reference in a way the spec allows, and must certify as the
 * reference does with every tier — its own requirement PASS, nothing else but SIG-START-006 (no link hook) short of
 * PASS. (Conformant variants that name none: {@link StartTruthVariantsTests}.)
 */
@RequiresTestbed
class TruthVariantsTests {

    /** Every conformant variant with a requirement; {@code -Dsigkit.variants=name,name} narrows it (not in CI). */
    static Stream<Variant> variants() {
        String only = System.getProperty("sigkit.variants", "").strip();
        List<String> names = only.isEmpty() ? List.of() : List.of(only.split("\\s*,\\s*"));
        return Variants.all().stream().filter(v -> v.conformant() && v.requirement() != null)
                .filter(v -> names.isEmpty() || names.contains(v.name()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void the_conformant_variant_certifies_as_the_reference_does(Variant variant) {
        // GIVEN a conformant payload unlike the reference (its power commands halt it, as the reference's tier test)
        try (RunningPayload payload = Testbed.start(variant.spec().withHaltOnShutdown())) {
            PayloadSnapshot before = PayloadSnapshot.of(payload);
            // WHEN the kit certifies it with every tier
            RunResult r = Certification.run(CertificationOnTestbedTests.options(payload).allowClockSet(true)
                    .allowDestructive(true).shutdownBound(Duration.ofSeconds(15)).build());
            String all = CertificationOnTestbedTests.describe(r);
            // THEN its own requirement passes with its ID, and everything the reference passes passes
            RequirementResult own = r.result(variant.requirement()).orElseThrow();
            assertThat(own.outcome()).as("%s (%s):%n%s", variant.name(), variant.description(), all)
                    .isEqualTo(Outcome.PASS);
            assertThat(own.message()).startsWith("[" + variant.requirement() + "]");
            List<String> notPassing = r.results().stream().filter(x -> x.outcome() != Outcome.PASS)
                    .map(RequirementResult::id).toList();
            assertThat(notPassing).as("%s:%n%s", variant.name(), all).isSubsetOf("SIG-START-006");
            assertThat(r.verdict()).as(all).isEqualTo(Verdict.CONFORMANT);
            assertThat(r.cleanupComplete()).as("cleanup %s", r.cleanup()).isTrue();
            if (payload.isRunning()) {
                assertThat(PayloadSnapshot.of(payload)).as("the payload after the run").isEqualTo(before);
            }
        }
    }
}
