package io.sigkit.cli;

import static io.sigkit.cli.SigkitTestCase.assertOneLineError;
import static io.sigkit.cli.SigkitTestCase.newKey;
import static io.sigkit.cli.SigkitTestCase.sigkit;
import static io.sigkit.cli.SigkitTestCase.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.cli.SigkitTestCase.Execution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage and configuration errors: exit 64, one line on stderr naming the input, nothing sent to any payload. */
class CliUsageTests {

    @TempDir
    static Path dir;

    static Path key;

    /** A target that would refuse connections: none of these tests may get as far as connecting. */
    static String target;

    @BeforeAll
    static void keyAndTarget() throws Exception {
        key = newKey(dir, "id_ed25519");
        target = "ssh://sigapi@127.0.0.1:" + SigkitTestCase.closedPort();
    }

    private static Execution certify(String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "certify";
        args[1] = "--target=" + target;
        args[2] = "--identity=" + key;
        args[3] = "--known-hosts=" + dir.resolve("known_hosts");
        System.arraycopy(more, 0, args, 4, more.length);
        return sigkit(args);
    }

    @Test
    void no_command_is_a_usage_error() {
        // WHEN sigkit runs without a command
        Execution e = sigkit();
        // THEN exit 64 and one line that says what to do
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains("no command given").contains("certify");
    }

    @Test
    void an_unknown_option_is_named() {
        Execution e = certify("--frobnicate");
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).startsWith("sigkit certify: ").contains("--frobnicate").contains("sigkit certify --help");
    }

    @Test
    void certify_without_target_names_the_missing_option() {
        Execution e = sigkit("certify", "--identity", key.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains("--target");
    }

    @Test
    void a_malformed_target_is_named() {
        Execution e = sigkit("certify", "--target", "payload.example:22", "--identity", key.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains("'payload.example:22'").contains("ssh://user@host[:port]");
    }

    @Test
    void certify_without_any_credential_says_which_options_give_one() {
        Execution e = sigkit("certify", "--target", target);
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains("no credentials").contains("--identity").contains("--password-env");
    }

    @Test
    void a_missing_identity_file_is_named() {
        Path missing = dir.resolve("no-such-key");
        Execution e = sigkit("certify", "--target", target, "--identity", missing.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains("cannot read identity file " + missing + ": no such file");
    }

    @Test
    void tasking_parameters_that_are_not_json_are_reported_with_file_line_and_column() throws Exception {
        // GIVEN a tasking parameters file with a syntax error on line 3, column 12
        Path file = write(dir, "broken-params.json", "{\n  \"mode\": \"survey\",\n  \"gain\": 1.5.2\n}\n");
        // WHEN certify is given it
        Execution e = certify("--tasking-parameters", file.toString());
        // THEN exit 64 and one line naming the file, line and column
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains(file + ":3:").contains("tasking parameters file is not valid JSON");
    }

    @Test
    void tasking_parameters_must_be_a_json_object() throws Exception {
        Path file = write(dir, "array-params.json", "\n\n  [1, 2, 3]\n");
        Execution e = certify("--tasking-parameters", file.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains(file + ":3:3:").contains("must be a JSON object").contains("found array");
    }

    @Test
    void tasking_parameters_with_trailing_content_are_refused() throws Exception {
        Path file = write(dir, "two-values.json", "{\"a\": 1}\n{\"b\": 2}\n");
        Execution e = certify("--tasking-parameters", file.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertThat(e.err()).contains(file + ":2:1:").contains("more after its JSON value");
    }

    @Test
    void an_empty_tasking_parameters_file_is_refused() throws Exception {
        Path file = write(dir, "empty-params.json", "  \n");
        Execution e = certify("--tasking-parameters", file.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertThat(e.err()).contains(file.toString()).contains("is empty");
    }

    @Test
    void an_unreadable_uplink_file_is_named() {
        Path missing = dir.resolve("no-such-uplink.bin");
        Execution e = certify("--uplink", missing.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains("cannot read uplink file " + missing);
    }

    @Test
    void an_unknown_requirement_or_tag_is_named_with_the_known_tags() {
        Execution e = certify("--include", "SIG-CONF-002,SIG-NOPE-001");
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains("'SIG-NOPE-001'").contains("--include").contains("configure");
    }

    @Test
    void an_unknown_profile_is_named_with_the_known_ones() {
        Execution e = certify("--profile", "flight");
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains("--profile").contains("'flight'").contains("default, delivery");
    }

    @Test
    void window_seconds_must_be_positive() {
        Execution e = certify("--window-seconds", "0");
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertThat(e.err()).contains("--window-seconds");
        Execution notANumber = certify("--window-seconds", "three");
        assertThat(notANumber.exitCode()).as("%s", notANumber).isEqualTo(64);
        assertThat(notANumber.err()).contains("--window-seconds").contains("three");
    }

    @Test
    void repeat_must_be_1_to_100() {
        Execution e = certify("--repeat", "0");
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertThat(e.err()).contains("--repeat must be 1 to 100");
    }

    @Test
    void ignoring_host_keys_excludes_checking_them() {
        Execution e = certify("--insecure-ignore-host-key");
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains("--insecure-ignore-host-key cannot be combined with --known-hosts");
    }

    @Test
    void link_commands_go_together() {
        Execution e = certify("--link-down-command", "true");
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertThat(e.err()).contains("--link-down-command and --link-up-command go together");
    }

    @Test
    void a_report_dir_that_is_a_file_is_refused_before_anything_runs() throws Exception {
        Path file = write(dir, "not-a-dir", "x");
        Execution e = certify("--report-dir", file.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains("report directory " + file + " is a file");
    }

    @Test
    void an_unknown_format_is_named_with_the_valid_ones() {
        Execution e = certify("--format", "xml");
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertThat(e.err()).contains("xml").containsIgnoringCase("text").containsIgnoringCase("json");
    }

    @Test
    void nothing_is_written_to_stdout_on_a_usage_error() {
        Execution e = certify("--format", "json", "--repeat", "500");
        assertThat(e.exitCode()).isEqualTo(64);
        assertThat(e.out()).isEmpty();
        assertThat(Files.exists(dir.resolve("known_hosts"))).isFalse();
    }

    @Test
    void an_unreachable_port_exits_64_naming_host_and_port_and_writes_nothing() {
        // GIVEN a loopback port nothing listens on
        Path reports = dir.resolve("unreachable-reports");
        // WHEN certify targets it
        Execution e = certify("--format", "json", "--report-dir", reports.toString());
        // THEN exit 64 (nothing was certified), one line naming host and port, nothing on stdout, no report
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        String port = target.substring(target.lastIndexOf(':') + 1);
        assertThat(e.err()).contains("cannot reach the payload sigapi@127.0.0.1:" + port + ": connection refused")
                .contains("nothing was certified");
        assertThat(e.out()).isEmpty();
        assertThat(reports).isEmptyDirectory();
    }

    @Test
    void a_failed_login_exits_64_with_its_cause_whatever_include_selects() {
        // GIVEN a selection without SIG-ENV-002 (issue 15, case 8: a Java NullPointerException message before)
        for (String include : List.of("SIG-CONF-001", "SIG-FS-001,SIG-START-001", "SIG-ENV-003")) {
            // WHEN certify cannot reach the payload
            Execution e = certify("--include", include);
            // THEN exit 64 with the real cause
            assertThat(e.exitCode()).as("--include %s: %s", include, e).isEqualTo(64);
            assertOneLineError(e);
            assertThat(e.err()).contains("cannot reach the payload sigapi@127.0.0.1:").contains("connection refused")
                    .doesNotContain("Cannot invoke").doesNotContain("null");
        }
    }

    @Test
    void a_target_without_user_takes_it_from_the_ssh_config_and_names_the_port_it_used() throws Exception {
        // GIVEN an alias whose User and Port come from the config (issue 15, case 4)
        String port = target.substring(target.lastIndexOf(':') + 1);
        Path config = write(dir, "ssh_config", "Host fm\n    HostName 127.0.0.1\n    Port " + port
                + "\n    User sigapi\n");
        // WHEN certify targets ssh://fm
        Execution e = sigkit("certify", "--target", "ssh://fm", "--ssh-config", config.toString(),
                "--identity", key.toString(), "--known-hosts", dir.resolve("known_hosts").toString());
        // THEN the target is accepted, and the error names the address, port and user actually used
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertThat(e.err()).contains("cannot reach the payload sigapi@127.0.0.1:" + port + " (alias 'fm'): connection refused")
                .doesNotContain("expected ssh://");
        // and without a config, a target without a user is refused naming the input
        Execution bare = sigkit("certify", "--target", "ssh://fm", "--identity", key.toString());
        assertThat(bare.exitCode()).isEqualTo(64);
        assertThat(bare.err()).contains("no user in 'fm'");
    }

    @Test
    void a_bad_jump_list_is_refused_naming_it() {
        Execution e = certify("--jump", "ok@host,bad host");
        assertThat(e.exitCode()).isEqualTo(64);
        assertThat(e.err()).contains("invalid --jump 'ok@host,bad host': 'bad host' is not [user@]host[:port]");
    }

    @Test
    void signal_refuses_an_invalid_config_before_connecting() throws Exception {
        // GIVEN a config with version 2
        Path config = write(dir, "v2.json", "{\n  \"version\": 2,\n  \"signal_parameters\": {}\n}\n");
        // WHEN it is to be placed for a configure call (the target would refuse connections anyway)
        Execution e = sigkit("signal", "configure", "--target", target, "--identity", key.toString(), "--window",
                "2100000001", "--config", config.toString());
        // THEN exit 64, the schema error located in the file, and nothing about connecting
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertThat(e.errLines()).hasSize(2);
        assertThat(e.errLines().get(0)).startsWith(config + ":2:").contains("/version");
        assertThat(e.errLines().get(1)).contains("is invalid").contains("nothing was sent to the payload");
    }

    @Test
    void signal_end_time_is_for_start_only() {
        Execution e = sigkit("signal", "configure", "--target", target, "--identity", key.toString(), "--window",
                "2100000001", "--end-time", "+30");
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertThat(e.err()).contains("--end-time applies to start only");
    }

    @Test
    void signal_window_must_be_a_non_negative_integer() {
        Execution e = sigkit("signal", "start", "--target", target, "--identity", key.toString(), "--window", "-5");
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertThat(e.err()).contains("--window");
        Execution unknownCall = sigkit("signal", "shutdown", "--target", target, "--identity", key.toString(),
                "--window", "1");
        assertThat(unknownCall.exitCode()).isEqualTo(64);
        assertThat(unknownCall.err()).contains("shutdown").contains("configure").contains("start");
    }

    @Test
    void signal_parses_end_times_as_unix_seconds_iso_instants_or_offsets() {
        java.time.Instant now = java.time.Instant.parse("2026-05-01T12:00:00Z");
        assertThat(SignalCallCommand.endTime(SignalCallCommand.Call.START, "1611718292", now).getEpochSecond())
                .isEqualTo(1611718292L);
        assertThat(SignalCallCommand.endTime(SignalCallCommand.Call.START, "2026-05-01T12:05:00Z", now))
                .isEqualTo(now.plusSeconds(300));
        assertThat(SignalCallCommand.endTime(SignalCallCommand.Call.START, "+90", now)).isEqualTo(now.plusSeconds(90));
        assertThat(SignalCallCommand.endTime(SignalCallCommand.Call.START, null, now)).isEqualTo(now.plusSeconds(60));
    }

    @Test
    void image_with_target_or_identity_is_refused_naming_both() {
        // WHEN --image comes with --target and --identity (the container brings its own address and bus key)
        Execution e = certify("--image", "localhost/payload:dev");
        // THEN exit 64, one line naming the options that do not go with --image
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains("--image cannot be combined with --target, --identity, --known-hosts");
    }

    @Test
    void container_options_without_image_are_refused() {
        Execution e = certify("--payload-exec", key.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains("--payload-exec goes with --image");
    }

    @Test
    void an_unknown_engine_or_unreadable_payload_exec_is_named_before_any_container_starts() {
        // WHEN --engine names no engine, or --payload-exec no file
        Execution engine = sigkit("certify", "--image", "localhost/payload:dev", "--engine", "lxc");
        Execution payloadExec = sigkit("certify", "--image", "localhost/payload:dev", "--payload-exec",
                dir.resolve("no-such-payload_exec").toString());
        Execution user = sigkit("certify", "--image", "localhost/payload:dev", "--signaling-user", "a b");
        // THEN each is exit 64 naming the input
        assertThat(engine.exitCode()).as("%s", engine).isEqualTo(64);
        assertThat(engine.err()).contains("--engine must be docker or podman, was 'lxc'");
        assertThat(payloadExec.exitCode()).as("%s", payloadExec).isEqualTo(64);
        assertThat(payloadExec.err()).contains("no-such-payload_exec");
        assertThat(user.exitCode()).as("%s", user).isEqualTo(64);
        assertThat(user.err()).contains("--signaling-user 'a b' is not a valid user name");
        for (Execution e : java.util.List.of(engine, payloadExec, user)) {
            assertOneLineError(e);
        }
    }
}
