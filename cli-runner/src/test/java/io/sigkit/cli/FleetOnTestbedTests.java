package io.sigkit.cli;

import static io.sigkit.cli.SigkitTestCase.closedPort;
import static io.sigkit.cli.SigkitTestCase.sigkit;
import static io.sigkit.cli.SigkitTestCase.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigkit.cli.SigkitTestCase.Execution;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationReport;
import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import io.sigkit.testbed.Variants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code sigkit certify --inventory} on real payloads: a reference payload, a broken variant and a target nothing
 * answers at, certified from one process. The command line narrows every target to the environment checks and
 * SIG-CONF-001 (the requirement the variant breaks), so the verdicts are known: INCOMPLETE, NOT_CONFORMANT naming
 * SIG-CONF-001, UNREACHABLE.
 */
@RequiresTestbed
class FleetOnTestbedTests {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static RunningPayload reference;
    static RunningPayload broken;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        reference = Testbed.start(PayloadSpec.reference());
        broken = Testbed.start(Variants.named("configure-exit-1").spec());
    }

    @AfterAll
    static void stop() {
        for (RunningPayload p : new RunningPayload[] {reference, broken}) {
            if (p != null) {
                p.close();
            }
        }
    }

    /** A YAML inventory: the reference, the broken variant, and a closed port (the reference's key and known_hosts). */
    private Path inventory() throws Exception {
        return write(dir, "fleet.yaml", String.format("""
                defaults:
                  windowSeconds: 3
                  identity: %s
                  knownHosts: %s
                targets:
                  - name: fm-ref
                    target: %s
                  - name: fm-broken
                    target: %s
                    identity: %s
                    knownHosts: %s
                  - name: fm-gone
                    target: ssh://sigapi@127.0.0.1:%d
                    connectTimeout: 5
                """, reference.identity(), reference.knownHosts(), reference.target(), broken.target(),
                broken.identity(), broken.knownHosts(), closedPort()));
    }

    private Execution certify(Path inventory, Path reports, String... more) {
        List<String> args = new ArrayList<>(List.of("certify", "--inventory", inventory.toString(), "--report-dir",
                reports.toString(), "--include", "environment,SIG-CONF-001"));
        args.addAll(List.of(more));
        return sigkit(args.toArray(String[]::new));
    }

    @Test
    void every_verdict_is_right_the_exit_code_is_the_worst_and_the_fleet_summary_is_valid() throws Exception {
        // GIVEN an inventory of a reference payload, a broken variant and an unreachable target
        Path reports = dir.resolve("reports");
        // WHEN it is certified from one process
        Execution e = certify(inventory(), reports);
        // THEN the exit code is the worst target's: 64, the unreachable one (nothing certified there)
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        // AND one progress line per target, then the fleet's line; nothing on stderr
        assertThat(e.out().lines().filter(l -> l.startsWith("["))).hasSize(3)
                .anySatisfy(l -> assertThat(l).contains("fm-ref", "INCOMPLETE (exit 2)"))
                .anySatisfy(l -> assertThat(l).contains("fm-broken", "NOT_CONFORMANT (exit 1)", "failed: SIG-CONF-001"))
                .anySatisfy(l -> assertThat(l).contains("fm-gone", "UNREACHABLE (exit 64)", "cannot reach"));
        assertThat(e.out()).contains("Fleet: UNREACHABLE (exit 64): 1 INCOMPLETE, 1 NOT_CONFORMANT, 1 UNREACHABLE");
        assertThat(e.err()).isEmpty();
        // AND fleet.json is valid, in the inventory's order, with each target's verdict
        ValidationReport valid = SchemaValidator.of(SchemaId.FLEET_V1).validate(reports.resolve("fleet.json"));
        assertThat(valid.valid()).as(valid.describe()).isTrue();
        JsonNode fleet = JSON.readTree(reports.resolve("fleet.json").toFile());
        assertThat(fleet.get("targets").findValuesAsText("name")).containsExactly("fm-ref", "fm-broken", "fm-gone");
        assertThat(fleet.get("targets").findValuesAsText("status")).containsExactly("INCOMPLETE", "NOT_CONFORMANT",
                "UNREACHABLE");
        assertThat(fleet.at("/targets/1/failed/0").asText()).isEqualTo("SIG-CONF-001");
        // AND each certified target has its own valid reports, which say what the command line narrowed
        for (String name : List.of("fm-ref", "fm-broken")) {
            Path report = reports.resolve(name).resolve("report.json");
            ValidationReport r = SchemaValidator.of(SchemaId.REPORT_V1).validate(report);
            assertThat(r.valid()).as(r.describe()).isTrue();
            assertThat(JSON.readTree(report.toFile()).at("/settings/include").toString()).contains("SIG-CONF-001");
        }
        assertThat(reports.resolve("fm-gone")).doesNotExist();
        // AND junit.xml holds one suite per target, named by the target
        Document junit = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(reports.resolve("junit.xml").toFile());
        NodeList suites = junit.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(3);
        assertThat(((Element) suites.item(1)).getAttribute("name")).isEqualTo("fm-broken");
        assertThat(((Element) suites.item(1)).getAttribute("failures")).isEqualTo("1");
        assertThat(((Element) suites.item(2)).getAttribute("errors")).isEqualTo("1");
        // AND index.html links the two reports
        assertThat(Files.readString(reports.resolve("index.html"))).contains("href=\"fm-ref/report.html\"",
                "href=\"fm-broken/report.html\"").doesNotContain("fm-gone/report.html");
    }

    @Test
    void with_sign_every_certified_target_directory_is_signed_evidence_that_verifies() throws Exception {
        // GIVEN an ed25519 signing key
        Path key = dir.resolve("evidence-key");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "fleet",
                "-f", key.toString()).redirectErrorStream(true).start();
        assertThat(keygen.waitFor()).isZero();
        Path reports = dir.resolve("signed");
        // WHEN the fleet is certified with --sign
        Execution e = certify(inventory(), reports, "--sign", key.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        // THEN each certified target's directory holds SHA256SUMS and its signature, and verifies
        for (String name : List.of("fm-ref", "fm-broken")) {
            Path target = reports.resolve(name);
            assertThat(target.resolve("SHA256SUMS")).exists();
            assertThat(target.resolve("SHA256SUMS.sig")).exists();
            Execution v = sigkit("verify", target.toString());
            assertThat(v.exitCode()).as("%s", v).isZero();
        }
    }

    @Test
    void with_json_output_stdout_is_fleet_json_and_stderr_one_json_line_per_target() throws Exception {
        // GIVEN the same inventory, one target at a time
        Path reports = dir.resolve("json");
        // WHEN certified with --format json --parallel 1
        Execution e = certify(inventory(), reports, "--format", "json", "--parallel", "1");
        // THEN stdout is exactly fleet.json
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        JsonNode out = JSON.readTree(e.out());
        assertThat(out).isEqualTo(JSON.readTree(reports.resolve("fleet.json").toFile()));
        assertThat(out.get("parallel").asInt()).isEqualTo(1);
        // AND stderr is one JSON event per target, in the inventory's order (one at a time)
        List<JsonNode> events = new ArrayList<>();
        for (String line : e.errLines()) {
            events.add(JSON.readTree(line));
        }
        assertThat(events).extracting(x -> x.get("event").asText()).containsOnly("target-finished");
        assertThat(events).extracting(x -> x.get("name").asText()).containsExactly("fm-ref", "fm-broken", "fm-gone");
    }
}
