package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.testbed.junit.RequiresTestbed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The install order and variant layout of payloads/variants-contract.md, on a testbed home of this test's own making
 * (so that it holds whatever the real payloads are): payload_exec from the variant, else from --payload-exec, else the
 * reference; reference/install.sh, then the variant's setup.sh, with SIGKIT_USER; upOptions merged into up's options.
 */
@RequiresTestbed
class VariantLayoutTests {

    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path home;

    private final List<String> started = new ArrayList<>();

    @BeforeEach
    void makeHome() throws IOException {
        Path real = Testbed.home();
        copyExecutable(real.resolve("payload-sandbox"), home.resolve("payload-sandbox"));
        Files.createDirectories(home.resolve("lib"));
        try (var files = Files.list(real.resolve("lib"))) {
            for (Path file : files.toList()) {
                copyExecutable(file, home.resolve("lib").resolve(file.getFileName()));
            }
        }
        write("payloads/reference/payload_exec", "#!/bin/sh\necho reference payload_exec\n");
        write("payloads/reference/install.sh",
                "#!/bin/sh\nset -eu\necho \"install $SIGKIT_USER $(stat -c %a /usr/bin/payload_exec)\" >> /var/log/order\n");
        write("payloads/variants/with-own-exec/payload_exec", "#!/bin/sh\necho variant payload_exec\n");
        write("payloads/variants/with-own-exec/setup.sh",
                "#!/bin/sh\nset -eu\necho \"setup $SIGKIT_USER\" >> /var/log/order\nchmod 0644 /usr/bin/payload_exec\n");
        write("payloads/variants/failing-setup/setup.sh", "#!/bin/sh\necho 'setup cannot go on' >&2\nexit 3\n");
        write("payloads/variants.json", """
                {"variants": [
                  {"name": "with-own-exec", "kind": "broken", "requirement": "SIG-FS-002", "level": "REQUIRED",
                   "expectedOutcome": "FAIL", "description": "not executable", "upOptions": ["--shell", "dash"],
                   "alsoFails": [], "messageContains": ["cannot execute"]},
                  {"name": "options-only", "kind": "broken", "requirement": "SIG-PRIV-001", "level": "REQUIRED",
                   "expectedOutcome": "FAIL", "description": "no sudo", "upOptions": ["--no-sudo --user signal"],
                   "alsoFails": [], "messageContains": ["sudo"]},
                  {"name": "failing-setup", "kind": "broken", "requirement": "SIG-FS-003", "level": "REQUIRED",
                   "expectedOutcome": "FAIL", "description": "setup fails", "alsoFails": [],
                   "messageContains": ["cannot write"]}
                ]}
                """);
    }

    @AfterEach
    void down() {
        for (String name : started) {
            sandbox("down", "--name", name);
        }
    }

    @Test
    void a_variant_brings_its_payload_exec_setup_and_options() {
        // WHEN the variant with its own payload_exec, setup.sh and upOptions is started
        CommandResult up = up("with-own-exec");

        // THEN its payload_exec is installed root:root 0755, install.sh ran, then setup.sh, both with SIGKIT_USER
        assertThat(up.exitStatus()).as("stderr: %s", up.stderr()).isZero();
        assertThat(up.stdout()).contains("\"shell\":\"dash\"");
        String name = started.get(0);
        assertThat(inside(name, "cat /usr/bin/payload_exec")).contains("variant payload_exec");
        assertThat(inside(name, "cat /var/log/order")).isEqualTo("install sigapi 755\nsetup sigapi\n");
        assertThat(inside(name, "stat -c '%a %U' /usr/bin/payload_exec")).isEqualTo("644 root\n");
        assertThat(inside(name, "getent passwd sigapi")).endsWith(":/bin/dash\n");
    }

    @Test
    void options_on_the_command_line_override_the_variants_with_a_warning() {
        CommandResult up = up("with-own-exec", "--shell", "ash");

        assertThat(up.exitStatus()).as("stderr: %s", up.stderr()).isZero();
        assertThat(up.stdout()).contains("\"shell\":\"ash\"");
        assertThat(up.stderr()).contains("--shell ash overrides variant with-own-exec's dash");
    }

    @Test
    void a_variant_with_options_only_gets_the_reference_payload_exec() {
        CommandResult up = up("options-only");

        assertThat(up.exitStatus()).as("stderr: %s", up.stderr()).isZero();
        assertThat(up.stdout()).contains("\"user\":\"signal\"");
        String name = started.get(0);
        assertThat(inside(name, "cat /usr/bin/payload_exec")).contains("reference payload_exec");
        assertThat(inside(name, "cat /var/log/order")).isEqualTo("install signal 755\n");
        assertThat(inside(name, "sudo -l -U signal")).contains("not allowed to run sudo");
    }

    @Test
    void a_failing_setup_stops_the_start_and_says_why() {
        CommandResult up = up("failing-setup");

        assertThat(up.exitStatus()).isEqualTo(1);
        assertThat(up.stderr()).contains("did not start").contains("setup cannot go on")
                .contains("variant/setup.sh failed");
        assertThat(HostTraces.STATE_ROOT.resolve(started.get(0))).doesNotExist();
    }

    @Test
    void payload_exec_file_replaces_the_reference() throws IOException {
        Path own = Files.writeString(home.resolve("own_payload_exec"), "#!/bin/sh\necho own\n");
        String name = "sk-layout-" + ThreadLocalRandom.current().nextInt(1_000_000);
        started.add(name);

        CommandResult up = sandbox("up", "--name", name, "--port", Integer.toString(port()), "--payload-exec",
                own.toString(), "--no-sftp");

        assertThat(up.exitStatus()).as("stderr: %s", up.stderr()).isZero();
        assertThat(inside(name, "cat /usr/bin/payload_exec")).isEqualTo("#!/bin/sh\necho own\n");
    }

    private CommandResult up(String variant, String... more) {
        String name = "sk-layout-" + ThreadLocalRandom.current().nextInt(1_000_000);
        started.add(name);
        List<String> args = new ArrayList<>(List.of("up", "--name", name, "--port", Integer.toString(port()),
                "--variant", variant));
        args.addAll(List.of(more));
        return sandbox(args.toArray(String[]::new));
    }

    private static int port() {
        return ThreadLocalRandom.current().nextInt(32000, 32700);
    }

    private String inside(String name, String script) {
        CommandResult result = sandbox("exec", "--name", name, "--", "sh", "-c", script);
        assertThat(result.exitStatus()).as("%s: %s", script, result.stderr()).isZero();
        return result.stdout();
    }

    private CommandResult sandbox(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("payload-sandbox").toString()));
        command.addAll(List.of(args));
        return Processes.run(command, BOUND, "payload-sandbox " + String.join(" ", args));
    }

    private void write(String relative, String content) throws IOException {
        Path file = home.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static void copyExecutable(Path from, Path to) throws IOException {
        Files.copy(from, to);
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
