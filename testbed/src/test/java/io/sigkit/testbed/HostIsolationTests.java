package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.testbed.junit.RequiresTestbed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The host's own / never changes: payload files, users and hostnames live only in the instance. */
@RequiresTestbed
class HostIsolationTests {

    @Test
    void the_host_keeps_its_root_while_and_after_a_payload_runs() throws Exception {
        // GIVEN the host as it is
        String hostPasswd = Files.readString(Path.of("/etc/passwd"), StandardCharsets.UTF_8);
        String hostHosts = Files.readString(Path.of("/etc/hosts"), StandardCharsets.UTF_8);
        String hostName = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        Set<String> hostLinks = HostTraces.hostLinks();
        assertThat(hostPasswd).doesNotContain("\nsigapi:");

        String name;
        Set<String> namespaces;
        // WHEN a payload runs and writes into its own /
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withNetns())) {
            name = payload.name();
            namespaces = HostTraces.namespacesOf(payload);
            CommandResult write = payload.execShell(
                    "echo inside > /etc/sigkit-isolation-probe && test -d /signaling/inbox && id sigapi && hostname");
            assertThat(write.exitStatus()).as("stderr: %s", write.stderr()).isZero();
            assertThat(write.stdout()).contains(name);

            // THEN the host has none of it
            assertThat(Path.of("/signaling")).doesNotExist();
            assertThat(Path.of("/usr/bin/payload_exec")).doesNotExist();
            assertThat(Path.of("/etc/sigkit-isolation-probe")).doesNotExist();
            assertThat(Path.of("/etc/sudoers.d/sigkit-testbed")).doesNotExist();
            assertThat(Path.of("/usr/local/sbin/shutdown")).doesNotExist();
            assertThat(Files.readString(Path.of("/etc/passwd"), StandardCharsets.UTF_8)).isEqualTo(hostPasswd);
            assertThat(Files.readString(Path.of("/etc/hosts"), StandardCharsets.UTF_8)).isEqualTo(hostHosts);
            assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip()).isEqualTo(hostName);
            assertThat(HostTraces.hostLinks()).isEqualTo(hostLinks);
            // AND what the instance wrote is kept in its own upper dir
            assertThat(HostTraces.STATE_ROOT.resolve(name).resolve("upper/etc/sigkit-isolation-probe"))
                    .hasContent("inside");
        }
        // AND after down nothing of it is left: no process, namespace, mount, link or state
        assertThat(HostTraces.leftovers(name, namespaces)).isEmpty();
        assertThat(HostTraces.hostLinks()).isEqualTo(hostLinks);
        assertThat(Path.of("/signaling")).doesNotExist();
    }
}
