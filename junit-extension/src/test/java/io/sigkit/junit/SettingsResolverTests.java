package io.sigkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sigkit.run.RunOptions;
import io.sigkit.transport.HostKeyPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;

/** Where each setting comes from, in which order, and what a missing or malformed one says. No payload needed. */
class SettingsResolverTests {

    @TempDir
    Path home;

    private final Map<String, String> parameters = new HashMap<>();
    private final Map<String, String> environment = new HashMap<>();

    @SignalingConformance
    static class Plain {
    }

    @SignalingConformance(target = "ann@10.0.0.1:2201", taskingUser = "from-annotation", windowSeconds = 30,
            include = {"configure", "SIG-FS-001"}, strict = true)
    static class Annotated {
    }

    @BeforeEach
    void credentials() throws IOException {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_test"), "key");
        Files.writeString(home.resolve(".ssh/known_hosts"), "");
    }

    private SettingsResolver resolver(Class<?> annotated) {
        return new SettingsResolver(Optional.ofNullable(annotated.getAnnotation(SignalingConformance.class)),
                annotated.getName(), key -> Optional.ofNullable(parameters.get(key)), environment::get, home);
    }

    private SigkitSettings resolve(Class<?> annotated) {
        return resolver(annotated).resolve();
    }

    private void minimalParameters() {
        parameters.put("sigkit.target", "param@10.0.0.2:2202");
        parameters.put("sigkit.identity", "~/.ssh/id_test");
    }

    @Test
    void waivers_are_read_from_the_file_sigkit_waivers_names_and_a_bad_one_names_the_setting() throws IOException {
        // GIVEN a YAML waivers file named by the configuration parameter
        minimalParameters();
        Path file = Files.writeString(home.resolve("waivers.yaml"),
                "waivers:\n  - {id: SIG-CFG-003, reason: r, approvedBy: a, expires: 2027-01-31}\n");
        parameters.put("sigkit.waivers", "~/waivers.yaml");

        // THEN the settings carry its waivers into the run's options
        SigkitSettings settings = resolve(Plain.class);
        assertThat(settings.waivers().entries()).extracting(io.sigkit.waiver.Waiver::id).containsExactly("SIG-CFG-003");
        assertThat(settings.runOptions().build().waivers().source()).isEqualTo(file.toString());

        // AND an unknown requirement ID fails the class, naming the setting, where it came from, and the ID
        Files.writeString(file, "waivers:\n  - {id: SIG-NOPE-001, reason: r, approvedBy: a, expires: 2027-01-31}\n");
        assertThatThrownBy(() -> resolve(Plain.class)).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("sigkit: sigkit.waivers = '~/waivers.yaml' (from configuration parameter or"
                        + " system property sigkit.waivers) is invalid: waivers file " + file)
                .hasMessageContaining("SIG-NOPE-001 is not a requirement of catalog");
        // AND without the setting there are none
        parameters.remove("sigkit.waivers");
        assertThat(resolve(Plain.class).waivers().isEmpty()).isTrue();
    }

    @Test
    void annotation_wins_over_configuration_parameter_which_wins_over_environment() {
        // GIVEN the target and tasking user set in all three places
        minimalParameters();
        parameters.put("sigkit.taskingUser", "from-parameter");
        environment.put("SIGKIT_TARGET", "env@10.0.0.3");
        environment.put("SIGKIT_TASKING_USER", "from-environment");
        environment.put("SIGKIT_REPETITIONS", "7");

        // WHEN resolved for a class whose annotation sets target and tasking user
        SigkitSettings settings = resolve(Annotated.class);

        // THEN the annotation wins; the parameter beats the environment where the annotation is silent
        assertThat(settings.target().login()).isEqualTo("ann@10.0.0.1:2201");
        assertThat(settings.targetSource()).contains("@SignalingConformance(target)").contains(Annotated.class.getName());
        assertThat(settings.taskingUser()).isEqualTo("from-annotation");
        assertThat(settings.repetitions()).contains(7);
        assertThat(settings.identities()).containsExactly(home.resolve(".ssh/id_test"));

        // AND without the annotation's values the configuration parameter wins over the environment
        SigkitSettings plain = resolve(Plain.class);
        assertThat(plain.target().login()).isEqualTo("param@10.0.0.2:2202");
        assertThat(plain.targetSource()).isEqualTo("configuration parameter or system property sigkit.target");
        assertThat(plain.taskingUser()).isEqualTo("from-parameter");
    }

    @Test
    void environment_variables_are_the_fallback() {
        // GIVEN settings only in SIGKIT_* variables
        environment.put("SIGKIT_TARGET", "ssh://env@payload.local:2222");
        environment.put("SIGKIT_IDENTITY", home.resolve(".ssh/id_test").toString());
        environment.put("SIGKIT_KNOWN_HOSTS", home.resolve(".ssh/known_hosts").toString());
        environment.put("SIGKIT_HOST_KEY_POLICY", "accept-new");
        environment.put("SIGKIT_DISABLED_WHEN_UNREACHABLE", "TRUE");
        environment.put("SIGKIT_ALLOW_CLOCK_SET", "true");
        environment.put("SIGKIT_TASKING_PARAMETERS", "{\"target\": \"Lisbon\"}");
        environment.put("SIGKIT_WINDOW_SECONDS", "12");

        // WHEN resolved
        SigkitSettings settings = resolve(Plain.class);

        // THEN each is read from its variable
        assertThat(settings.target().login()).isEqualTo("env@payload.local:2222");
        assertThat(settings.targetSource()).isEqualTo("environment variable SIGKIT_TARGET");
        assertThat(settings.hostKeyPolicy()).isEqualTo(HostKeyPolicy.ACCEPT_NEW);
        assertThat(settings.disabledWhenUnreachable()).isTrue();
        assertThat(settings.allowClockSet()).isTrue();
        assertThat(settings.taskingParameters()).hasValueSatisfying(
                p -> assertThat(p.get("target").asText()).isEqualTo("Lisbon"));
        assertThat(settings.windowLength()).contains(Duration.ofSeconds(12));
        assertThat(settings.injectedWindowLength()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void defaults_apply_where_nothing_is_set() {
        // GIVEN only a target and a key
        minimalParameters();

        // WHEN resolved
        SigkitSettings settings = resolve(Plain.class);
        RunOptions options = settings.runOptions().build();

        // THEN the kit's defaults hold
        assertThat(settings.hostKeyPolicy()).isEqualTo(HostKeyPolicy.STRICT);
        assertThat(settings.knownHosts()).isEqualTo(home.resolve(".ssh/known_hosts"));
        assertThat(settings.taskingUser()).isEqualTo(RunOptions.DEFAULT_TASKING_USER);
        assertThat(settings.strict()).isFalse();
        assertThat(settings.disabledWhenUnreachable()).isFalse();
        assertThat(settings.injectedWindowLength()).isEqualTo(SigkitSettings.DEFAULT_INJECTED_WINDOW_LENGTH);
        assertThat(options.windowLength()).isEqualTo(RunOptions.builder(settings.connectionSettings()).build()
                .windowLength());
        assertThat(options.include()).isEmpty();
        assertThat(options.tiers()).hasSize(2);
        assertThat(settings.connectionSettings().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void blank_values_set_nothing_and_false_attributes_defer_to_other_sources() {
        // GIVEN a blank configuration parameter over an environment variable, and strict=true as a parameter
        minimalParameters();
        parameters.put("sigkit.taskingUser", "  ");
        environment.put("SIGKIT_TASKING_USER", "ground");
        parameters.put("sigkit.strict", "true");

        // WHEN resolved for a class whose annotation leaves strict at false
        SigkitSettings settings = resolve(Plain.class);

        // THEN the blank is skipped and the false attribute does not switch strict off
        assertThat(settings.taskingUser()).isEqualTo("ground");
        assertThat(settings.strict()).isTrue();
    }

    @Test
    void annotation_selection_and_strict_reach_the_run_options() {
        // GIVEN credentials as parameters and the Annotated class's include, strict and windowSeconds
        parameters.put("sigkit.identity", "~/.ssh/id_test");
        parameters.put("sigkit.exclude", "SIG-CONF-004, timing");

        // WHEN the run options are built
        RunOptions options = resolve(Annotated.class).runOptions().build();

        // THEN they carry them
        assertThat(options.include()).containsExactlyInAnyOrder("configure", "SIG-FS-001");
        assertThat(options.exclude()).containsExactlyInAnyOrder("SIG-CONF-004", "timing");
        assertThat(options.strict()).isTrue();
        assertThat(options.windowLength()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.taskingUser()).isEqualTo("from-annotation");
    }

    @Test
    void environment_variable_names_follow_the_keys() {
        assertThat(Setting.TARGET.environmentVariable()).isEqualTo("SIGKIT_TARGET");
        assertThat(Setting.KNOWN_HOSTS.environmentVariable()).isEqualTo("SIGKIT_KNOWN_HOSTS");
        assertThat(Setting.TASKING_PARAMETERS.environmentVariable()).isEqualTo("SIGKIT_TASKING_PARAMETERS");
        assertThat(Setting.DISABLED_WHEN_UNREACHABLE.environmentVariable()).isEqualTo("SIGKIT_DISABLED_WHEN_UNREACHABLE");
        assertThat(Setting.CONNECT_TIMEOUT_SECONDS.key()).isEqualTo("sigkit.connectTimeoutSeconds");
    }

    @Test
    void missing_target_names_the_setting_and_every_place_to_set_it() {
        // GIVEN credentials but no target anywhere
        parameters.put("sigkit.identity", "~/.ssh/id_test");

        // WHEN / THEN
        assertThatThrownBy(() -> resolve(Plain.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("sigkit.target")
                .hasMessageContaining("SIGKIT_TARGET")
                .hasMessageContaining("@SignalingConformance(target = ...)")
                .hasMessageContaining("junit-platform.properties");
    }

    @Test
    void missing_credentials_name_the_identity_setting() {
        parameters.put("sigkit.target", "sigkit@10.0.0.9");

        assertThatThrownBy(() -> resolve(Plain.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("no SSH credentials for ssh://sigkit@10.0.0.9:22")
                .hasMessageContaining("sigkit.identity")
                .hasMessageContaining("SIGKIT_IDENTITY");
    }

    @Test
    void missing_known_hosts_under_strict_policy_says_how_to_fix_it() throws IOException {
        // GIVEN the default known_hosts file does not exist
        minimalParameters();
        Files.delete(home.resolve(".ssh/known_hosts"));

        // WHEN / THEN strict host key checking cannot work
        assertThatThrownBy(() -> resolve(Plain.class))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("sigkit.knownHosts (default " + home.resolve(".ssh/known_hosts") + ")")
                .hasMessageContaining("sigkit.hostKeyPolicy=accept-new");

        // AND with accept-new it may be created on first use
        parameters.put("sigkit.hostKeyPolicy", "ACCEPT_NEW");
        assertThat(resolve(Plain.class).hostKeyPolicy()).isEqualTo(HostKeyPolicy.ACCEPT_NEW);
    }

    @Test
    void profile_reaches_the_run_options_and_its_ids_can_be_selected() {
        // GIVEN sigkit.profile=delivery and a selection naming a SIG-DLV requirement
        minimalParameters();
        parameters.put("sigkit.profile", "delivery");
        parameters.put("sigkit.include", "environment,SIG-DLV-001");

        // WHEN the run options are built
        RunOptions options = resolve(Plain.class).runOptions().build();

        // THEN they carry the profile and the selection; without the setting the profile is the default one
        assertThat(options.profile()).isEqualTo("delivery");
        assertThat(options.include()).containsExactlyInAnyOrder("environment", "SIG-DLV-001");
        parameters.remove("sigkit.profile");
        parameters.remove("sigkit.include");
        assertThat(resolve(Plain.class).runOptions().build().profile()).isEqualTo("default");
        expectInvalid("sigkit.profile", "flight", "sigkit.profile = 'flight'", "known profiles: default, delivery");
    }

    @Test
    void malformed_values_are_named_with_their_source() {
        minimalParameters();
        expectInvalid("sigkit.target", "no-user-here", "configuration parameter or system property sigkit.target",
                "expected ssh://user@host[:port]");
        minimalParameters();
        expectInvalid("sigkit.windowSeconds", "soon", "sigkit.windowSeconds = 'soon'", "whole number");
        expectInvalid("sigkit.windowSeconds", "0", "sigkit.windowSeconds = '0'", "from 1 to");
        expectInvalid("sigkit.connectTimeoutSeconds", "-3", "sigkit.connectTimeoutSeconds = '-3'", "from 1 to");
        expectInvalid("sigkit.repetitions", "101", "sigkit.repetitions = '101'", "1 to 100");
        expectInvalid("sigkit.hostKeyPolicy", "trusting", "sigkit.hostKeyPolicy = 'trusting'",
                "strict, accept-new or ignore");
        expectInvalid("sigkit.strict", "yes", "sigkit.strict = 'yes'", "true or false");
        expectInvalid("sigkit.taskingParameters", "[1, 2]", "sigkit.taskingParameters", "expected a JSON object");
        expectInvalid("sigkit.taskingParameters", "{\"a\":", "sigkit.taskingParameters", "it is not JSON");
        expectInvalid("sigkit.taskingUser", "ops team", "sigkit.taskingUser = 'ops team'", "payload_exec's -u");
        expectInvalid("sigkit.include", "configure,SIG-NOPE-001", "sigkit.include", "'SIG-NOPE-001' is neither");
        expectInvalid("sigkit.passwordEnv", "hunter2!", "sigkit.passwordEnv", "must name an environment variable");
        expectInvalid("sigkit.identity", "~/.ssh/id_missing", "sigkit.identity = '~/.ssh/id_missing'",
                home.resolve(".ssh/id_missing") + " does not exist");
    }

    private static final String PROBES = """
            {"version": 1, "paths": [{"id": "calibration", "requirement": "ACME-FS-001", "path": "/opt/acme/cal.bin",
             "kind": "file", "access": ["read"]}]}""";

    @Test
    void probes_files_reach_the_run_options_and_their_ids_may_be_selected() throws IOException {
        // GIVEN a probes file in sigkit.probes and its requirement ID in sigkit.include
        minimalParameters();
        Files.writeString(home.resolve("acme-probes.json"), PROBES);
        parameters.put("sigkit.probes", "~/acme-probes.json");
        parameters.put("sigkit.include", "ACME-FS-001, SIG-FS-001");
        // WHEN resolved
        RunOptions options = resolve(Plain.class).runOptions().build();
        // THEN the run carries the file's probes and the user's ID is a valid selection
        assertThat(options.probes()).hasSize(1);
        assertThat(options.probes().get(0).paths().get(0).requirement()).isEqualTo("ACME-FS-001");
        assertThat(options.include()).containsExactlyInAnyOrder("ACME-FS-001", "SIG-FS-001");
    }

    @Test
    void a_probes_file_that_claims_a_catalog_id_is_a_configuration_error() throws IOException {
        minimalParameters();
        Files.writeString(home.resolve("bad-probes.json"), PROBES.replace("ACME-FS-001", "SIG-FS-001"));
        expectInvalid("sigkit.probes", "~/bad-probes.json", "sigkit.probes = '~/bad-probes.json'",
                "'SIG-FS-001' is not a user requirement ID");
    }

    private void expectInvalid(String key, String value, String named, String why) {
        String before = parameters.put(key, value);
        try {
            assertThatThrownBy(() -> resolve(Plain.class))
                    .as("%s = %s", key, value)
                    .isInstanceOf(ExtensionConfigurationException.class)
                    .hasMessageContaining(named)
                    .hasMessageContaining(why);
        } finally {
            if (before == null) {
                parameters.remove(key);
            } else {
                parameters.put(key, before);
            }
        }
    }
}
