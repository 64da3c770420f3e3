package io.sigkit.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import io.sigkit.testbed.Variant;
import io.sigkit.testbed.Variants;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The testbed's hostile variants attack the kit from payload_exec itself (forged script output and process lines,
 * terminal sequences, a flood of stderr) and violate no requirement: the kit must give the reference's verdict, remove
 * exactly what it created, and leave the payload running.
 */
@RequiresTestbed
class HostileVariantsTests {

    static Stream<Variant> hostileVariants() {
        return Variants.all().stream().filter(Variant::hostile);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileVariants")
    void the_attack_fails_and_the_verdict_is_the_references(Variant variant) throws Exception {
        try (RunningPayload payload = Testbed.start(variant.spec())) {
            PayloadSnapshot before = PayloadSnapshot.of(payload);
            // WHEN the kit certifies the hostile payload with its default tiers
            RunResult r = Certification.run(CertificationOnTestbedTests.options(payload).build());
            // THEN the verdict is the reference's: nothing forged was taken for the kit's own output
            HostileRunsTests.assertReferenceVerdict(r);
            // AND the payload still runs (nothing the payload named was signalled), the cleanup is complete and true
            assertThat(payload.isRunning()).as("the payload's SSH server is alive").isTrue();
            assertThat(r.cleanupComplete()).as("cleanup %s", r.cleanup()).isTrue();
            assertThat(r.cleanup()).noneMatch(i -> i.target().startsWith("pid 1:"));
            Thread.sleep(3500); // the forged-process variant's decoys end by themselves
            assertThat(PayloadSnapshot.of(payload)).isEqualTo(before);
        }
    }
}
