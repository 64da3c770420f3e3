package io.sigkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.junit.fixtures.ConformanceTestCase;
import io.sigkit.testbed.CommandResult;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import io.sigkit.testbed.Variants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.AssertionFailedError;

/**
 * {@code sigkit.waivers} in a real JUnit run (EngineTestKit) against the testbed's {@code config-rejects-unknown-keys}
 * variant, whose one failure is SIG-CFG-003 (REQUIRED): a waived failure's test is aborted with the waiver in its
 * message; an expired waiver, or one bound to another payload_exec build, leaves the test failed.
 */
@RequiresTestbed
class WaiverConformanceTests {
    private static final String VARIANT = "config-rejects-unknown-keys";
    private static final String SUITE = "Payload Signaling API v1.0 conformance (sigkit)";
    private static final String CFG_003 = ReferencePayloadConformanceTests.displayName("SIG-CFG-003");
    private static final String QUICK = "SIG-ENV-001,SIG-ENV-002,SIG-ENV-003,SIG-ENV-004,SIG-FS-001,SIG-FS-002,"
            + "SIG-CONF-001,SIG-CFG-003";

    static RunningPayload variant;

    @TempDir
    Path dir;

    @BeforeAll
    static void startVariant() {
        variant = Testbed.start(Variants.named(VARIANT).spec());
    }

    @AfterAll
    static void stopVariant() {
        if (variant != null) {
            variant.close();
        }
    }

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static String sha256(RunningPayload payload) {
        CommandResult r = payload.exec("sha256sum", "/usr/bin/payload_exec");
        assertThat(r.exitStatus()).as("%s", r).isZero();
        return r.stdout().strip().split("\\s+")[0];
    }

    private Path waivers(String id, LocalDate expires, String sha) throws Exception {
        return Files.writeString(dir.resolve("waivers.yaml"), "waivers:\n  - id: " + id + "\n"
                + "    reason: refused on purpose until build 42\n    approvedBy: J. Doe\n    expires: " + expires + "\n"
                + (sha == null ? "" : "    payloadExecSha256: " + sha + "\n"));
    }

    private static Map<String, String> quick(RunningPayload payload, Path waivers) {
        Map<String, String> settings = Engine.settingsFor(payload);
        settings.put("sigkit.include", QUICK);
        settings.put("sigkit.waivers", waivers.toString());
        return settings;
    }

    @Test
    void an_applied_waiver_aborts_the_failed_test_with_the_waiver_and_the_run_is_conformant_with_waivers()
            throws Exception {
        // GIVEN the variant, halting when shut down, and a waiver bound to its payload_exec build
        try (RunningPayload payload = Testbed.start(Variants.named(VARIANT).spec().withHaltOnShutdown())) {
            Map<String, String> settings = Engine.settingsFor(payload);
            settings.put("sigkit.allowClockSet", "true");
            settings.put("sigkit.allowDestructive", "true");
            settings.put("sigkit.waivers", waivers("SIG-CFG-003", today(), sha256(payload)).toString());

            // WHEN the whole catalog runs as tests with every tier
            EngineExecutionResults results = Engine.run(ConformanceTestCase.class, settings);

            // THEN nothing fails; SIG-CFG-003 is aborted, the waiver first, then the kit's message
            assertThat(results.testEvents().failed().count()).as(ReferencePayloadConformanceTests.describe(results))
                    .isZero();
            Event waived = Engine.finished(results, CFG_003).orElseThrow();
            assertThat(Engine.status(waived)).isEqualTo(Status.ABORTED);
            assertThat(Engine.throwable(waived)).hasMessageStartingWith("SIG-CFG-003 failed and is WAIVED (approved by"
                    + " J. Doe, until " + today() + ", for payload_exec ").hasMessageContaining(
                    ": refused on purpose until build 42); it does not fail the suite. [SIG-CFG-003] ");
            // AND the run's report entries carry the verdict and the waiver's status
            Map<String, String> run = Engine.reportEntries(results, SUITE);
            assertThat(run).containsEntry("sigkit.verdict", "CONFORMANT_WITH_WAIVERS")
                    .containsEntry("sigkit.waivers", "SIG-CFG-003 APPLIED");
        }
    }

    @Test
    void an_expired_waiver_leaves_the_test_failed() throws Exception {
        EngineExecutionResults results = Engine.run(ConformanceTestCase.class,
                quick(variant, waivers("SIG-CFG-003", today().minusDays(1), null)));
        assertFailedWithWaiverStatus(results, "SIG-CFG-003 EXPIRED");
    }

    @Test
    void a_waiver_bound_to_another_payload_exec_leaves_the_test_failed() throws Exception {
        EngineExecutionResults results = Engine.run(ConformanceTestCase.class,
                quick(variant, waivers("SIG-CFG-003", today(), "ab".repeat(32))));
        assertFailedWithWaiverStatus(results, "SIG-CFG-003 OTHER_PAYLOAD_EXEC");
    }

    @Test
    void an_unknown_requirement_id_fails_the_class_naming_the_setting_and_the_id() throws Exception {
        // GIVEN a waivers file with an ID the catalog does not have
        Path file = waivers("SIG-CFG-033", today(), null);
        // WHEN the catalog runs as tests
        EngineExecutionResults results = Engine.run(ConformanceTestCase.class, quick(variant, file));
        // THEN the class fails with the configuration error; no requirement's test runs
        List<Event> failed = results.containerEvents().failed().list();
        assertThat(failed).hasSize(1);
        assertThat(Engine.throwable(failed.get(0))).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("sigkit: sigkit.waivers = '" + file + "' (from configuration parameter or system property"
                        + " sigkit.waivers) is invalid: waivers file " + file + " /waivers/0/id: SIG-CFG-033 is not a"
                        + " requirement of catalog " + Results.CATALOG.version() + " (see 'sigkit list')");
        assertThat(results.testEvents().started().count()).isZero();
    }

    @Test
    void under_strict_a_waived_recommended_failure_is_aborted_not_failed() throws Exception {
        // GIVEN a payload whose payload_exec is world-writable (SIG-FS-006, RECOMMENDED) and a waiver for it
        try (RunningPayload payload = Testbed.start(Variants.named("payload-exec-world-writable").spec())) {
            Map<String, String> settings = Engine.settingsFor(payload);
            settings.put("sigkit.include", "SIG-FS-001,SIG-FS-002,SIG-FS-003,SIG-FS-004,SIG-FS-005,SIG-FS-006");
            settings.put("sigkit.strict", "true");
            settings.put("sigkit.waivers", waivers("SIG-FS-006", today(), null).toString());

            // WHEN the filesystem requirements run as tests under sigkit.strict
            EngineExecutionResults results = Engine.run(ConformanceTestCase.class, settings);

            // THEN the failure strict would count is accepted: aborted with the waiver, nothing fails
            String fs006 = ReferencePayloadConformanceTests.displayName("SIG-FS-006");
            assertThat(results.testEvents().failed().count()).as(ReferencePayloadConformanceTests.describe(results))
                    .isZero();
            Event waived = Engine.finished(results, fs006).orElseThrow();
            assertThat(Engine.status(waived)).isEqualTo(Status.ABORTED);
            assertThat(Engine.throwable(waived)).hasMessageStartingWith("SIG-FS-006 failed and is WAIVED (approved by"
                    + " J. Doe, until " + today() + ": refused on purpose until build 42)");
            assertThat(Engine.reportEntries(results, SUITE)).containsEntry("sigkit.strict", "true")
                    .containsEntry("sigkit.waivers", "SIG-FS-006 APPLIED");
        }
    }

    /** SIG-CFG-003's test failed with the kit's message (no waiver applied), and the run says why. */
    private static void assertFailedWithWaiverStatus(EngineExecutionResults results, String waiverStatus) {
        assertThat(results.testEvents().failed().list()).as(ReferencePayloadConformanceTests.describe(results))
                .extracting(e -> e.getTestDescriptor().getDisplayName()).containsExactly(CFG_003);
        assertThat(Engine.throwable(Engine.finished(results, CFG_003).orElseThrow()))
                .isInstanceOf(AssertionFailedError.class).hasMessageStartingWith("[SIG-CFG-003] ");
        assertThat(Engine.reportEntries(results, SUITE)).containsEntry("sigkit.verdict", "NOT_CONFORMANT")
                .containsEntry("sigkit.waivers", waiverStatus);
    }
}
