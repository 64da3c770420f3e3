package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.testbed.junit.RequiresTestbed;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An instance lives as long as its keeper and owner: a killed JVM leaves nothing running; --keep keeps evidence. */
@RequiresTestbed
class KeeperLifetimeTests {

    private static final Duration BOUND = Duration.ofSeconds(60);

    private static CommandResult sandbox(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", Testbed.sandboxScript().toString()));
        command.addAll(List.of(args));
        return Processes.run(command, BOUND, "payload-sandbox " + String.join(" ", args));
    }

    @Test
    void when_the_owner_dies_the_instance_stops_by_itself() throws Exception {
        // GIVEN an instance owned by a process that is about to be killed (as a JVM killed with SIGKILL)
        Process owner = new ProcessBuilder("sleep", "120").start();
        String name = "sk-owner-" + ThreadLocalRandom.current().nextInt(1_000_000);
        Process keeper = new ProcessBuilder("bash", Testbed.sandboxScript().toString(), "up", "--foreground",
                "--owner-pid", Long.toString(owner.pid()), "--name", name, "--port",
                Integer.toString(ThreadLocalRandom.current().nextInt(32000, 32700)))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Set<String> namespaces;
        try {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(keeper.getInputStream(), StandardCharsets.UTF_8))) {
                assertThat(out.readLine()).contains("\"name\":\"" + name + "\"");
            }
            namespaces = Set.copyOf(namespacesOf(name));
            assertThat(namespaces).isNotEmpty();

            // WHEN the owner is killed
            owner.destroyForcibly();

            // THEN the instance goes away within a few seconds, with nothing left but its state directory
            assertThat(keeper.waitFor(10, TimeUnit.SECONDS)).as("keeper ended after its owner died").isTrue();
            assertThat(HostTraces.leftovers(name, namespaces))
                    .containsExactly("state directory " + HostTraces.STATE_ROOT.resolve(name));
        } finally {
            owner.destroyForcibly();
            keeper.destroyForcibly();
            sandbox("down", "--name", name);
        }
        assertThat(HostTraces.STATE_ROOT.resolve(name)).doesNotExist();
    }

    @Test
    void down_keep_keeps_the_evidence_until_the_next_down() throws Exception {
        RunningPayload payload = Testbed.start(PayloadSpec.reference());
        String name = payload.name();
        try {
            // GIVEN an instance that recorded a call and wrote a file
            assertThat(OpenSsh.ssh(payload, "sudo -n poweroff; echo evidence > /tmp/on-tmpfs; "
                    + "echo kept > /var/tmp/on-disk").exitStatus()).isZero();

            // WHEN it is stopped with --keep
            assertThat(sandbox("down", "--name", name, "--keep").exitStatus()).isZero();

            // THEN its calls and its upper dir stay readable, and it is listed as stopped
            assertThat(sandbox("calls", "--name", name).stdout()).isEqualTo("poweroff\n");
            assertThat(HostTraces.STATE_ROOT.resolve(name).resolve("upper/var/tmp/on-disk")).hasContent("kept");
            assertThat(sandbox("list").stdout()).contains("{\"state\":\"stopped\",\"name\":\"" + name + "\"");
        } finally {
            payload.close();
        }
        // AND a second down removes it
        assertThat(HostTraces.STATE_ROOT.resolve(name)).doesNotExist();
    }

    private static Set<String> namespacesOf(String name) throws Exception {
        long init = HostTraces.pidOf(name, "init").orElseThrow();
        Set<String> namespaces = new HashSet<>();
        for (String ns : List.of("mnt", "pid", "uts", "ipc")) {
            namespaces.add(Files.readSymbolicLink(Path.of("/proc", Long.toString(init), "ns", ns)).toString());
        }
        return namespaces;
    }
}
