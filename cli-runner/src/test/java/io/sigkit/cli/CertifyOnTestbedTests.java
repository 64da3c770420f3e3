package io.sigkit.cli;

import static io.sigkit.cli.SigkitTestCase.assertOneLineError;
import static io.sigkit.cli.SigkitTestCase.newKey;
import static io.sigkit.cli.SigkitTestCase.sigkit;
import static io.sigkit.cli.SigkitTestCase.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigkit.bus.Window;
import io.sigkit.cli.SigkitTestCase.Execution;
import io.sigkit.schemas.PayloadExecCommands;
import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.junit.RequiresTestbed;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import io.sigkit.testbed.Variants;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sigkit certify} and {@code sigkit signal} against real payloads of the testbed (real sshd, real shells). */
@RequiresTestbed
class CertifyOnTestbedTests {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A reference payload shared by the tests that neither halt it nor depend on a fresh one. */
    static RunningPayload shared;

    @TempDir
    Path dir;

    @BeforeAll
    static void startShared() {
        shared = Testbed.start(PayloadSpec.reference());
    }

    @AfterAll
    static void stopShared() {
        if (shared != null) {
            shared.close();
        }
    }

    static String[] certify(RunningPayload p, Path knownHosts, String... more) {
        List<String> args = new ArrayList<>(List.of("certify", "--target", p.target(), "--identity",
                p.identity().toString(), "--known-hosts", knownHosts.toString(), "--window-seconds", "3"));
        args.addAll(Arrays.asList(more));
        return args.toArray(String[]::new);
    }

    @Test
    void the_reference_payload_with_every_tier_is_conformant_exit_0_with_json_on_stdout_and_reports_written()
            throws Exception {
        // GIVEN a reference payload that really stops when shut down
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withHaltOnShutdown())) {
            Path reports = dir.resolve("reports");
            // WHEN it is certified with both opt-in tiers, JSON on stdout
            Execution e = sigkit(certify(payload, payload.knownHosts(), "--allow-clock-set", "--allow-destructive",
                    "--format", "json", "--report-dir", reports.toString()));
            // THEN exit 0, stdout is exactly the JSON report, with verdict CONFORMANT
            assertThat(e.exitCode()).as("%s", e).isZero();
            JsonNode report = JSON.readTree(e.out());
            assertThat(report.get("verdict").asText()).isEqualTo("CONFORMANT");
            assertThat(report.get("results").size()).isEqualTo(31);
            // AND stderr carries only JSON lines, ending with the verdict
            List<JsonNode> events = new ArrayList<>();
            for (String line : e.errLines()) {
                events.add(JSON.readTree(line));
            }
            assertThat(events).extracting(x -> x.get("event").asText()).contains("run-started", "requirement")
                    .endsWith("run-finished");
            assertThat(events.get(events.size() - 1).get("verdict").asText()).isEqualTo("CONFORMANT");
            // AND the four reports are in the report directory, report.json the same verdict
            assertThat(reports.resolve("report.json")).isRegularFile();
            assertThat(reports.resolve("junit.xml")).isRegularFile();
            assertThat(reports.resolve("report.html")).isRegularFile();
            assertThat(reports.resolve("summary.md")).isRegularFile();
            assertThat(JSON.readTree(reports.resolve("report.json").toFile()).get("verdict").asText())
                    .isEqualTo("CONFORMANT");
        }
    }

    @Test
    void a_broken_variant_is_not_conformant_exit_1_naming_the_requirement() {
        // GIVEN a payload whose configure always exits 1
        try (RunningPayload payload = Testbed.start(Variants.named("configure-exit-1").spec())) {
            // WHEN it is certified (text output, not a terminal)
            Execution e = sigkit(certify(payload, payload.knownHosts()));
            // THEN exit 1, and the summary names the failed requirement and what was seen
            assertThat(e.exitCode()).as("%s", e).isEqualTo(1);
            assertThat(e.out()).contains("Verdict: NOT_CONFORMANT").containsPattern("Failed: +SIG-CONF-001 \\[REQUIRED\\] FAIL");
            assertThat(e.out()).contains("FAIL         SIG-CONF-001");
            assertThat(e.err()).isEmpty();
        }
    }

    @Test
    void only_some_requirements_selected_is_incomplete_exit_2() {
        Execution e = sigkit(certify(shared, shared.knownHosts(), "--include", "environment,SIG-FS-001"));
        assertThat(e.exitCode()).as("%s", e).isEqualTo(2);
        assertThat(e.out()).contains("Verdict: INCOMPLETE").contains("PASS         SIG-ENV-004")
                .contains("PASS         SIG-FS-001")
                .contains("NOT_VERIFIED SIG-CONF-002").contains("Cleanup: everything the kit created was removed");
    }

    @Test
    void an_unknown_host_key_exits_64_with_its_fingerprint_and_the_option_to_trust_it() throws Exception {
        // GIVEN a known_hosts file that does not list the payload
        Path empty = write(dir, "known_hosts", "");
        // WHEN certify runs with strict host key checking (the default)
        Execution e = sigkit(certify(shared, empty, "--report-dir", dir.resolve("r").toString()));
        // THEN exit 64, one line with the presented key's fingerprint and the exact option; nothing else
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(fingerprints(shared.knownHosts())).anySatisfy(fp -> assertThat(e.err()).contains(fp));
        assertThat(e.err()).contains("127.0.0.1:" + shared.port()).contains("--accept-new-host-key")
                .contains("nothing was certified");
        assertThat(dir.resolve("r")).isEmptyDirectory();
        assertThat(Files.readString(empty)).isEmpty();
    }

    @Test
    void accept_new_host_key_trusts_on_first_use_and_writes_the_key() throws Exception {
        Path fresh = dir.resolve("fresh_known_hosts");
        Execution e = sigkit(certify(shared, fresh, "--accept-new-host-key", "--include", "SIG-ENV-002,SIG-ENV-003"));
        assertThat(e.exitCode()).as("%s", e).isEqualTo(2);
        assertThat(e.out()).contains("PASS         SIG-ENV-002").contains("trusted on first use");
        assertThat(Files.readString(fresh)).contains("[127.0.0.1]:" + shared.port() + " ");
    }

    @Test
    void a_key_the_payload_refuses_exits_64_naming_user_and_key() throws Exception {
        Path stranger = newKey(dir, "stranger");
        Execution e = sigkit("certify", "--target", shared.target(), "--identity", stranger.toString(),
                "--known-hosts", shared.knownHosts().toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains("authentication refused by the payload " + shared.user() + "@127.0.0.1:"
                + shared.port() + " for user " + shared.user() + " (--target)").contains(stranger + " (--identity)");
        assertThat(e.out()).isEmpty();
    }

    @Test
    void signal_configure_places_the_config_issues_the_exact_command_and_removes_the_config() throws Exception {
        // GIVEN a valid config for a window of the kit's reserved range
        long window = Window.RESERVED_FIRST + 4242;
        Path config = write(dir, "config.json", ValidateCommandTests.SPEC_EXAMPLE);
        // WHEN configure is signalled by hand
        Execution e = sigkit("signal", "configure", "--target", shared.target(), "--identity",
                shared.identity().toString(), "--known-hosts", shared.knownHosts().toString(), "--window",
                Long.toString(window), "--config", config.toString(), "--tasking-user", "john");
        // THEN exit 0 and the output shows the exact command, exit status, stderr and both times
        assertThat(e.exitCode()).as("%s", e).isZero();
        assertThat(e.out()).contains("placed:           /signaling/window_configs/" + window + ".json")
                .contains("command:          " + PayloadExecCommands.configure("john", window))
                .contains("exit status:      0")
                .containsPattern("to exit status: +\\d+\\.\\d{3} s")
                .containsPattern("to channel close: \\d+\\.\\d{3} s")
                .contains("stderr:           ")
                .contains("cleanup:          /signaling/window_configs/" + window + ".json: removed");
        // AND the config is gone from the payload
        assertThat(shared.exec("test", "-e", "/signaling/window_configs/" + window + ".json").exitStatus()).isEqualTo(1);
    }

    @Test
    void signal_configure_without_a_config_shows_the_payload_refusing_and_exits_1() {
        long window = Window.RESERVED_FIRST + 4243;
        Execution e = sigkit("signal", "configure", "--target", shared.target(), "--identity",
                shared.identity().toString(), "--known-hosts", shared.knownHosts().toString(), "--window",
                Long.toString(window));
        assertThat(e.exitCode()).as("%s", e).isEqualTo(1);
        assertThat(e.out()).containsPattern("exit status: +[1-9]").doesNotContain("stderr:           (empty)");
    }

    @Test
    void signal_start_returns_at_once_and_removes_the_config_after_the_window() throws Exception {
        long window = Window.RESERVED_FIRST + 4244;
        Path config = write(dir, "config.json", ValidateCommandTests.SPEC_EXAMPLE);
        Execution e = sigkit("signal", "start", "--target", shared.target(), "--identity",
                shared.identity().toString(), "--known-hosts", shared.knownHosts().toString(), "--window",
                Long.toString(window), "--config", config.toString(), "--end-time", "+2");
        assertThat(e.exitCode()).as("%s", e).isZero();
        assertThat(e.out()).contains("command:          nohup /usr/bin/payload_exec -u sigkit -w " + window + " -t ")
                .contains("waiting").contains(".json: removed");
        assertThat(shared.exec("test", "-e", "/signaling/window_configs/" + window + ".json").exitStatus()).isEqualTo(1);
    }

    @Test
    void signal_never_overwrites_an_existing_config() throws Exception {
        long window = Window.RESERVED_FIRST + 4245;
        String path = "/signaling/window_configs/" + window + ".json";
        shared.execShell("echo '{\"version\":1,\"signal_parameters\":{}}' > " + path);
        try {
            Path config = write(dir, "config.json", ValidateCommandTests.SPEC_EXAMPLE);
            Execution e = sigkit("signal", "configure", "--target", shared.target(), "--identity",
                    shared.identity().toString(), "--known-hosts", shared.knownHosts().toString(), "--window",
                    Long.toString(window), "--config", config.toString());
            assertThat(e.exitCode()).as("%s", e).isEqualTo(1);
            assertThat(e.err()).contains(path + " already exists on the payload");
            assertThat(shared.exec("cat", path).stdout()).contains("\"signal_parameters\":{}");
        } finally {
            shared.exec("rm", "-f", path);
        }
    }

    /** The SHA-256 fingerprints of the host keys in a known_hosts file, by ssh-keygen. */
    static List<String> fingerprints(Path knownHosts) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-l", "-f", knownHosts.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> fps = new ArrayList<>();
        Matcher m = Pattern.compile("SHA256:[A-Za-z0-9+/]+").matcher(out);
        while (m.find()) {
            fps.add(m.group());
        }
        assertThat(fps).as("fingerprints in %s: %s", knownHosts, out).isNotEmpty();
        return fps;
    }
}
