package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.testbed.junit.RequiresTestbed;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test class of this module (see junit-platform.properties and {@link ClassOrderer}) and
 * checks that the suite left nothing on the host: no instance of it, no process, no user or payload file in /.
 */
@RequiresTestbed
@Order(Integer.MAX_VALUE)
class SuiteLeftoversTests {

    /** Instance names this JVM's tests use: Testbed's own, and those the script-level tests choose. */
    private static final Predicate<String> OURS = name -> name.startsWith("sk" + ProcessHandle.current().pid() + "-")
            || Stream.of("sk-layout-", "sk-dist-", "sk-owner-", "sk-err-").anyMatch(name::startsWith);

    @Test
    void the_suite_left_nothing_on_the_host() throws IOException {
        List<String> left = new ArrayList<>();
        if (Files.isDirectory(HostTraces.STATE_ROOT)) {
            try (DirectoryStream<Path> states = Files.newDirectoryStream(HostTraces.STATE_ROOT)) {
                for (Path state : states) {
                    if (OURS.test(state.getFileName().toString())) {
                        left.add("state directory " + state);
                    }
                }
            }
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                for (String variable : environ(proc)) {
                    if (variable.startsWith("SIGKIT_TESTBED_INSTANCE=")
                            && OURS.test(variable.substring("SIGKIT_TESTBED_INSTANCE=".length()))
                            && !isZombie(proc)) {
                        left.add("process " + proc.getFileName() + " of instance " + variable);
                    }
                }
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            if (line.contains(HostTraces.STATE_ROOT.toString())) {
                left.add("mount " + line);
            }
        }
        assertThat(left).as("left on the host by the testbed suite").isEmpty();
        assertThat(HostTraces.hostLinks()).as("host links").doesNotContain("bus0");
        assertThat(Path.of("/signaling")).doesNotExist();
        assertThat(Path.of("/usr/bin/payload_exec")).doesNotExist();
        assertThat(Path.of("/etc/sudoers.d/sigkit-testbed")).doesNotExist();
        assertThat(Files.readString(Path.of("/etc/passwd"), StandardCharsets.UTF_8))
                .doesNotContain("\nsigapi:").doesNotContain("\nsignal:");
    }

    private static List<String> environ(Path proc) {
        try {
            return List.of(new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.UTF_8)
                    .split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean isZombie(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }
}
