package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.testbed.junit.RequiresTestbed;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Up and down for each SSH server and login shell, checked with the real OpenSSH client. */
@RequiresTestbed
class SandboxLifecycleTests {

    static Stream<Arguments> serversAndShells() {
        return Stream.of(
                Arguments.of(SshServerKind.OPENSSH, LoginShell.BASH, "bash", "/usr/bin/bash"),
                Arguments.of(SshServerKind.OPENSSH, LoginShell.DASH, "dash", "/usr/bin/dash"),
                Arguments.of(SshServerKind.OPENSSH, LoginShell.ASH, "ash", "/usr/bin/busybox"),
                Arguments.of(SshServerKind.DROPBEAR, LoginShell.BASH, "bash", "/usr/bin/bash"),
                Arguments.of(SshServerKind.DROPBEAR, LoginShell.DASH, "dash", "/usr/bin/dash"),
                Arguments.of(SshServerKind.DROPBEAR, LoginShell.ASH, "ash", "/usr/bin/busybox"));
    }

    @ParameterizedTest(name = "{0} with login shell {1}")
    @MethodSource("serversAndShells")
    void up_serves_the_asked_shell_with_strict_host_keys_and_down_leaves_nothing(SshServerKind server, LoginShell shell,
            String shellName, String shellBinary) throws Exception {
        // GIVEN a payload with this server and login shell
        RunningPayload payload = Testbed.start(PayloadSpec.reference().withServer(server).withShell(shell));
        String name = payload.name();
        Set<String> namespaces;
        try {
            // THEN it says where it is and how to log in
            assertThat(payload.target()).isEqualTo("ssh://sigapi@127.0.0.1:" + payload.port());
            assertThat(payload.server()).isEqualTo(server);
            assertThat(payload.shell()).isEqualTo(shell);
            assertThat(payload.user()).isEqualTo("sigapi");
            assertThat(Files.getPosixFilePermissions(payload.identity()))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(payload.knownHosts()))
                    .startsWith("[127.0.0.1]:" + payload.port() + " ");
            namespaces = HostTraces.namespacesOf(payload);
            assertThat(namespaces).as("the instance's own namespaces").isNotEmpty();

            // WHEN the real OpenSSH client logs in with strict host key checking on the printed known_hosts
            CommandResult login = OpenSsh.ssh(payload, "echo $0; readlink /proc/$$/exe; id -un");

            // THEN the command ran through the asked login shell, as the signaling user
            assertThat(login.exitStatus()).as("ssh exit status; stderr: %s", login.stderr()).isZero();
            assertThat(login.stdout().lines().toList()).containsExactly(shellName, shellBinary, "sigapi");
            assertThat(payload.exec("getent", "passwd", "sigapi").stdout().strip())
                    .endsWith(":" + shell.path());
            assertThat(payload.isRunning()).isTrue();
        } finally {
            // WHEN it is closed
            payload.close();
        }
        // THEN no process, mount, namespace or state of it is left
        assertThat(payload.isRunning()).isFalse();
        assertThat(HostTraces.leftovers(name, namespaces)).isEmpty();
        payload.close(); // idempotent
    }
}
