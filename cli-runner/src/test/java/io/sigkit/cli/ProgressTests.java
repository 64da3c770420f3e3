package io.sigkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigkit.catalog.Tier;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.check.RequirementResult;
import io.sigkit.cleanup.CleanupItem;
import io.sigkit.run.RunResult;
import io.sigkit.run.TargetIdentity;
import io.sigkit.run.Verdict;
import io.sigkit.transport.HostKeyPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Progress displays and the text summary, fed with results as conformance-core makes them. */
class ProgressTests {
    private static final RequirementCatalog CATALOG = RequirementCatalog.load();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static RequirementResult pass(String id) {
        return RequirementResult.of(CATALOG.get(id)).evidence("exitStatus", 0).pass("[" + id + "] fine");
    }

    static RequirementResult fail(String id) {
        return RequirementResult.of(CATALOG.get(id)).evidence("exitStatus", 1)
                .fail("[" + id + "] configure for window 2100000001 exited 1 with stderr: config service unavailable",
                        "exit status 0", "1");
    }

    static RunResult run(List<RequirementResult> results, List<CleanupItem> cleanup) {
        Instant start = Instant.parse("2026-05-01T12:00:00Z");
        return new RunResult("test", CATALOG.version(), CATALOG.specVersion(), Verdict.of(results, false),
                new TargetIdentity("127.0.0.1:2201", "SSH-2.0-OpenSSH_9.2p1", "ssh-ed25519", "SHA256:abc", "sigapi",
                        "/bin/bash", "Debian GNU/Linux 12", "0123abcd"),
                HostKeyPolicy.STRICT, false, Set.of(Tier.READ_ONLY, Tier.BUS_EQUIVALENT), false, start,
                start.plusMillis(8400), results, List.of(), cleanup, 2, 27, Map.of());
    }

    @Test
    void json_lines_are_one_json_object_per_event() throws Exception {
        // GIVEN JSON-lines progress
        StringWriter err = new StringWriter();
        Progress p = Progress.create(OutputOptions.ProgressMode.AUTO, OutputFormat.JSON, true,
                new PrintWriter(new StringWriter()), new PrintWriter(err));
        // WHEN a run goes by
        RequirementResult failed = fail("SIG-CONF-001");
        p.runStarted("ssh://sigapi@127.0.0.1:2201", 31);
        p.step("configure window 2100000001");
        p.requirementFinished(pass("SIG-ENV-002"), Duration.ofMillis(400));
        p.requirementFinished(failed, Duration.ofMillis(900));
        p.runFinished(run(List.of(failed), List.of()));
        p.close();
        // THEN every line is a JSON object with its event, and the results carry ID, outcome and message
        List<JsonNode> events = new ArrayList<>();
        for (String line : err.toString().lines().toList()) {
            events.add(JSON.readTree(line));
        }
        assertThat(events).extracting(e -> e.get("event").asText())
                .containsExactly("run-started", "step", "requirement", "requirement", "run-finished");
        assertThat(events.get(3).get("id").asText()).isEqualTo("SIG-CONF-001");
        assertThat(events.get(3).get("outcome").asText()).isEqualTo("FAIL");
        assertThat(events.get(3).get("message").asText()).contains("config service unavailable");
        assertThat(events.get(4).get("verdict").asText()).isEqualTo("NOT_CONFORMANT");
        assertThat(events).allSatisfy(e -> assertThat(e.has("elapsedMillis")).isTrue());
    }

    @Test
    void with_json_format_progress_never_goes_to_stdout() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        for (OutputOptions.ProgressMode mode : OutputOptions.ProgressMode.values()) {
            try (Progress p = Progress.create(mode, OutputFormat.JSON, false, new PrintWriter(out), new PrintWriter(err))) {
                p.runStarted("ssh://sigapi@127.0.0.1:2201", 31);
                p.requirementFinished(pass("SIG-ENV-002"), Duration.ofMillis(400));
            }
        }
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).contains("SIG-ENV-002");
    }

    @Test
    void plain_lines_show_elapsed_time_outcome_id_and_why_for_what_did_not_pass() {
        StringWriter out = new StringWriter();
        try (Progress p = Progress.create(OutputOptions.ProgressMode.AUTO, OutputFormat.TEXT, false,
                new PrintWriter(out), new PrintWriter(new StringWriter()))) {
            p.runStarted("ssh://sigapi@127.0.0.1:2201", 31);
            p.requirementFinished(pass("SIG-ENV-002"), Duration.ofMillis(400));
            p.requirementFinished(fail("SIG-CONF-001"), Duration.ofMillis(900));
        }
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).isEqualTo("certifying ssh://sigapi@127.0.0.1:2201 (31 requirements)");
        assertThat(lines.get(1)).matches(" +\\d+\\.\\d s  PASS +SIG-ENV-002 \\[REQUIRED\\] .+");
        assertThat(lines.get(2)).matches(" +\\d+\\.\\d s  FAIL +SIG-CONF-001 \\[REQUIRED\\] .+");
        assertThat(lines.get(3)).contains("configure for window 2100000001 exited 1").doesNotContain("[SIG-CONF-001]");
        assertThat(out.toString()).doesNotContain("\u001b[");
    }

    @Test
    void live_progress_on_a_terminal_redraws_a_status_line_in_place() {
        StringWriter out = new StringWriter();
        try (Progress p = Progress.create(OutputOptions.ProgressMode.AUTO, OutputFormat.TEXT, true,
                new PrintWriter(out), new PrintWriter(new StringWriter()))) {
            p.runStarted("ssh://sigapi@127.0.0.1:2201", 31);
            p.step("waiting for window 2100000001 to end");
            p.requirementFinished(pass("SIG-ENV-002"), Duration.ofMillis(400));
        }
        assertThat(out.toString()).contains("\r\u001b[K").contains("waiting for window 2100000001 to end")
                .contains("SIG-ENV-002");
    }

    @Test
    void the_summary_puts_the_verdict_first_then_target_failures_cleanup_and_reports() {
        RunResult r = run(List.of(pass("SIG-ENV-002"), fail("SIG-CONF-001")), List.of(
                new CleanupItem(CleanupItem.Kind.WINDOW_CONFIG, "/signaling/window_configs/2100000001.json",
                        "this run", true, "removed by the kit"),
                new CleanupItem(CleanupItem.Kind.DIRECTORY, "/signaling/inbox/sigkit", "this run", false,
                        "not removed: the directory is not empty")));
        StringWriter out = new StringWriter();
        Summary.print(r, List.of(Path.of("/tmp/r/report.json")), Path.of("/tmp/r"), new PrintWriter(out));
        List<String> lines = out.toString().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines.get(0)).startsWith("Verdict: NOT_CONFORMANT (2 requirements: 1 PASS, 1 FAIL");
        assertThat(out.toString()).contains("sigapi@127.0.0.1:2201").contains("SHA256:abc")
                .contains("2 session(s), 27 exec request(s)")
                .contains("1 item(s) NOT removed").contains("/signaling/inbox/sigkit")
                .contains("Failed:  SIG-CONF-001 [REQUIRED] FAIL: configure for window 2100000001 exited 1")
                .contains("/tmp/r/report.json");
    }

    /** What a hostile payload writes: cursor up, erase line, colour, OSC 52 clipboard, a bare CR, a bidi override. */
    static final String HOSTILE = "up\u001b[1A erase\u001b[2K \u001b[31mred osc\u001b]52;c;aGVsbG8=\u0007 cr\rover rlo\u202eevil";
    /** The same, as it must be shown. */
    static final String HOSTILE_SHOWN = "up\\x1b[1A erase\\x1b[2K \\x1b[31mred osc\\x1b]52;c;aGVsbG8=\\x07 cr\\rover rlo\\u202eevil";

    /** No control character but line feeds, and no bidi control, in the text. */
    static void assertNoRawControl(String text) {
        assertThat(text.chars().filter(c -> c != '\n' && (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x202e)))
                .as("raw control characters in:%n%s", text).isEmpty();
    }

    static RequirementResult hostileFail(String id) {
        return RequirementResult.of(CATALOG.get(id)).evidence("stderr", HOSTILE).warning("slow: " + HOSTILE)
                .fail("[" + id + "] configure for window 2100000001 exited 1 (stderr: " + HOSTILE + ")", "exit status 0", "1");
    }

    @Test
    void plain_progress_shows_payload_text_escaped() {
        // GIVEN plain progress, and a result, a warning, a step and a target carrying terminal control sequences
        StringWriter out = new StringWriter();
        try (Progress p = Progress.create(OutputOptions.ProgressMode.PLAIN, OutputFormat.TEXT, false,
                new PrintWriter(out), new PrintWriter(new StringWriter()))) {
            // WHEN the run goes by
            p.runStarted("ssh://sigapi@127.0.0.1:2201" + HOSTILE, 31);
            p.requirementFinished(pass("SIG-ENV-002"), Duration.ofMillis(400));
            p.step("no file uplinked: " + HOSTILE);
            p.requirementFinished(hostileFail("SIG-CONF-001"), Duration.ofMillis(900));
        }
        // THEN no control character reaches the output, and each is shown escaped on its own lines
        assertNoRawControl(out.toString());
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).isEqualTo("certifying ssh://sigapi@127.0.0.1:2201" + HOSTILE_SHOWN + " (31 requirements)");
        assertThat(lines.get(2)).endsWith("... no file uplinked: " + HOSTILE_SHOWN);
        assertThat(lines.get(4)).contains("configure for window 2100000001 exited 1 (stderr: " + HOSTILE_SHOWN + ")");
        assertThat(lines.get(5)).endsWith("warning: slow: " + HOSTILE_SHOWN);
        assertThat(lines).hasSize(6);
    }

    @Test
    void live_progress_shows_payload_text_escaped_and_only_the_kit_moves_the_cursor() {
        // GIVEN live progress, and a step and a result carrying terminal control sequences
        StringWriter out = new StringWriter();
        try (Progress p = Progress.create(OutputOptions.ProgressMode.LIVE, OutputFormat.TEXT, true,
                new PrintWriter(out), new PrintWriter(new StringWriter()))) {
            // WHEN the run goes by
            p.runStarted("ssh://sigapi@127.0.0.1:2201" + HOSTILE, 31);
            p.step("x " + HOSTILE);
            p.requirementFinished(hostileFail("SIG-CONF-001"), Duration.ofMillis(900));
        }
        // THEN the payload's sequences are shown escaped; the only raw ones are the kit's own (clear line, styles)
        String text = out.toString();
        assertThat(text).contains(HOSTILE_SHOWN).contains("\r\u001b[K").contains("x up\\x1b[1A");
        String withoutKitOwn = text.replace("\r\u001b[K", "").replaceAll("\u001b\\[[0-9;]*m", "");
        assertNoRawControl(withoutKitOwn);
        assertThat(text).doesNotContain("\u001b[1A").doesNotContain("\u001b[2K").doesNotContain("\u001b]")
                .doesNotContain("\u0007").doesNotContain("\u202e").doesNotContain("\u001b[31mred");
    }

    @Test
    void the_summary_shows_what_the_payload_said_escaped() {
        // GIVEN a run whose target identity, failure message and cleanup note carry terminal control sequences
        RunResult clean = run(List.of(hostileFail("SIG-CONF-001")), List.of(
                new CleanupItem(CleanupItem.Kind.FILE, "/tmp/sigkit-x" + HOSTILE, "this run", false, "rm: " + HOSTILE)));
        TargetIdentity t = clean.target();
        RunResult r = new RunResult(clean.kitVersion(), clean.catalogVersion(), clean.specVersion(), clean.verdict(),
                new TargetIdentity(t.address(), "SSH-2.0-" + HOSTILE, t.hostKeyType(), t.hostKeyFingerprint(), t.user(),
                        "/bin/" + HOSTILE, "Debian " + HOSTILE, t.payloadExecSha256()),
                clean.hostKeyPolicy(), false, clean.tiers(), false, clean.startedAt(), clean.endedAt(), clean.results(),
                List.of(), clean.cleanup(), 2, 27, Map.of());
        StringWriter out = new StringWriter();
        // WHEN the summary is printed
        Summary.print(r, List.of(), null, new PrintWriter(out));
        // THEN nothing raw reaches the terminal, and everything is shown escaped
        assertNoRawControl(out.toString());
        assertThat(out.toString()).contains("SSH-2.0-" + HOSTILE_SHOWN).contains("login shell /bin/" + HOSTILE_SHOWN)
                .contains("Debian " + HOSTILE_SHOWN).contains("/tmp/sigkit-x" + HOSTILE_SHOWN + " (rm: " + HOSTILE_SHOWN + ")")
                .contains("Failed:  SIG-CONF-001 [REQUIRED] FAIL: configure for window 2100000001 exited 1 (stderr: "
                        + HOSTILE_SHOWN + ")");
    }

    @Test
    void when_the_kit_cannot_log_in_the_display_shows_nothing_but_a_transient_status() {
        // GIVEN plain progress (and JSON lines)
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        RequirementResult refused = RequirementResult.of(CATALOG.get("SIG-ENV-002")).evidence("target", "x")
                .evidence("error", "cannot reach 127.0.0.1:9: connection refused").evidence("kind", "UNREACHABLE")
                .fail("[SIG-ENV-002] no SSH daemon answered", "an SSH handshake", "connection refused");
        for (OutputFormat format : OutputFormat.values()) {
            try (Progress p = Progress.create(OutputOptions.ProgressMode.AUTO, format, false, new PrintWriter(out),
                    new PrintWriter(err))) {
                // WHEN the first result says the login failed, and the blocked ones follow
                p.runStarted("ssh://sigapi@127.0.0.1:9", 31);
                p.step("connecting to ssh://sigapi@127.0.0.1:9");
                p.requirementFinished(refused, Duration.ofMillis(3));
                p.requirementFinished(pass("SIG-ENV-001"), Duration.ofMillis(4));
                p.runFinished(run(List.of(refused), List.of()));
            }
        }
        // THEN nothing was printed: the command's one error line says it all
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEmpty();
    }
}
