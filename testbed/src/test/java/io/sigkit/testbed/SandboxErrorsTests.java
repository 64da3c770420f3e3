package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sigkit.testbed.junit.RequiresTestbed;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input to the sandbox gets a clear error on stderr and a distinct exit status, and leaves nothing behind. */
@RequiresTestbed
class SandboxErrorsTests {

    private static final Duration BOUND = Duration.ofSeconds(60);

    private static CommandResult sandbox(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", Testbed.sandboxScript().toString()));
        command.addAll(List.of(args));
        return Processes.run(command, BOUND, "payload-sandbox " + String.join(" ", args));
    }

    @Test
    void a_port_in_use_is_refused_naming_the_port() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();

            CommandResult up = sandbox("up", "--name", "sk-err-port", "--port", Integer.toString(port));

            assertThat(up.exitStatus()).isEqualTo(4);
            assertThat(up.stderr()).contains("port " + port + " is in use");
            assertThat(HostTraces.STATE_ROOT.resolve("sk-err-port")).doesNotExist();
        }
    }

    @Test
    void a_name_in_use_is_refused() {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference())) {
            CommandResult again = sandbox("up", "--name", payload.name(), "--port", "1");

            assertThat(again.exitStatus()).isEqualTo(5);
            assertThat(again.stderr()).contains("name " + payload.name() + " is in use");
            assertThat(OpenSsh.ssh(payload, "true").exitStatus()).as("the running instance is untouched").isZero();
        }
    }

    @Test
    void an_unknown_variant_is_refused_listing_the_known_ones() {
        CommandResult up = sandbox("up", "--name", "sk-err-variant", "--port", "1", "--variant", "no-such-variant");

        assertThat(up.exitStatus()).isEqualTo(6);
        assertThat(up.stderr()).contains("unknown variant 'no-such-variant'; known variants: ");
        assertThatThrownBy(() -> Testbed.start(PayloadSpec.reference().withVariant("no-such-variant")))
                .isInstanceOf(TestbedException.class)
                .hasMessageContaining("unknown variant 'no-such-variant'");
    }

    @Test
    void not_root_is_refused() throws Exception {
        // GIVEN a copy of the script that user nobody can read (the checkout may not be readable to it)
        Path copy = Files.createTempFile("payload-sandbox-", "");
        try {
            Files.copy(Testbed.sandboxScript(), copy, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));

            CommandResult up = Processes.run(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "bash", copy.toString(), "up", "--name", "x", "--port", "2222"), BOUND, "as nobody");

            assertThat(up.exitStatus()).isEqualTo(3);
            assertThat(up.stderr()).contains("needs root").contains("uid 65534");
        } finally {
            Files.delete(copy);
        }
    }

    @Test
    void a_missing_package_is_named() {
        // GIVEN a host where dropbear is not an executable (masked in a private mount namespace of this command only)
        CommandResult up = Processes.run(List.of("unshare", "--mount", "sh", "-c",
                "mount --bind /dev/null /usr/sbin/dropbear && exec bash \"$0\" up --name sk-err-pkg --port 2222 "
                        + "--server dropbear", Testbed.sandboxScript().toString()), BOUND, "dropbear masked");

        assertThat(up.exitStatus()).isEqualTo(3);
        assertThat(up.stderr()).contains("missing dropbear").contains("install the apt package(s) dropbear-bin");
    }

    @Test
    void usage_errors_say_what_is_wrong() {
        assertThat(sandbox("up", "--port", "2222").stderr()).contains("--name is required");
        CommandResult badShell = sandbox("up", "--name", "x", "--port", "2222", "--shell", "zsh");
        assertThat(badShell.exitStatus()).isEqualTo(2);
        assertThat(badShell.stderr()).contains("--shell must be bash, dash or ash (got 'zsh')");
        assertThat(sandbox("up", "--name", "x", "--port", "70000").stderr()).contains("'70000' is not a TCP port");
        assertThat(sandbox("frobnicate").exitStatus()).isEqualTo(2);
        assertThat(sandbox("up", "--name", "x", "--port", "2222", "--payload-exec", "/nonexistent").stderr())
                .contains("--payload-exec '/nonexistent' is not a readable file");
    }

    @Test
    void commands_on_a_missing_instance_fail_clearly() {
        CommandResult exec = sandbox("exec", "--name", "sk-no-such", "--", "true");
        assertThat(exec.exitStatus()).isEqualTo(125);
        assertThat(exec.stderr()).contains("no instance named 'sk-no-such'");
        assertThat(sandbox("link", "--name", "sk-no-such", "down").exitStatus()).isEqualTo(7);
        assertThat(sandbox("calls", "--name", "sk-no-such").exitStatus()).isEqualTo(7);
        assertThat(sandbox("down", "--name", "sk-no-such").exitStatus()).as("down is idempotent").isZero();
    }

    @Test
    void link_needs_an_own_link_and_a_closed_payload_refuses_calls() {
        RunningPayload payload = Testbed.start(PayloadSpec.reference());
        try {
            assertThatThrownBy(payload::linkDown).isInstanceOf(TestbedException.class)
                    .hasMessageContaining(payload.name()).hasMessageContaining("withNetns()");
            CommandResult link = sandbox("link", "--name", payload.name(), "down");
            assertThat(link.exitStatus()).isEqualTo(2);
            assertThat(link.stderr()).contains("has no link of its own");
            assertThat(payload.exec("sh", "-c", "exit 42").exitStatus()).as("exit status passes through")
                    .isEqualTo(42);
        } finally {
            payload.close();
        }
        assertThatThrownBy(() -> payload.exec("true")).isInstanceOf(TestbedException.class)
                .hasMessageContaining(payload.name()).hasMessageContaining("closed");
    }
}
