package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.testbed.junit.RequiresTestbed;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The scripts and payloads travel in the jar and work once extracted, exec bits restored. */
class TestbedHomeTests {

    /** Where Maven's resources step put the dist copy, as it will be in the jar. */
    private static final Path DIST = Path.of("target", "classes", TestbedHome.DIST);

    @TempDir
    Path extracted;

    @Test
    void programs_are_the_script_its_helpers_payload_exec_files_and_scripts() {
        assertThat(TestbedHome.isExecutable("payload-sandbox")).isTrue();
        assertThat(TestbedHome.isExecutable("lib/standin")).isTrue();
        assertThat(TestbedHome.isExecutable("payloads/reference/payload_exec")).isTrue();
        assertThat(TestbedHome.isExecutable("payloads/variants/x/payload_exec")).isTrue();
        assertThat(TestbedHome.isExecutable("payloads/variants/x/setup.sh")).isTrue();
        assertThat(TestbedHome.isExecutable("payloads/variants.json")).isFalse();
        assertThat(TestbedHome.isExecutable("payloads/reference/README.md")).isFalse();
    }

    @Test
    void the_jar_carries_the_script_lib_and_payloads() {
        assertThat(DIST.resolve("payload-sandbox")).isRegularFile();
        assertThat(DIST.resolve("lib/provision.sh")).isRegularFile();
        assertThat(DIST.resolve("lib/standin")).isRegularFile();
        assertThat(DIST.resolve("payloads/variants.json")).isRegularFile();
    }

    @Test
    @EnabledOnOs(value = OS.LINUX, disabledReason = "payload-sandbox needs Linux and bash 4")
    void the_extracted_copy_has_its_exec_bits() throws Exception {
        TestbedHome.copyTree(DIST, extracted);

        assertThat(Files.getPosixFilePermissions(extracted.resolve("payload-sandbox")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.getPosixFilePermissions(extracted.resolve("lib/netns-connect")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.getPosixFilePermissions(extracted.resolve("payloads/variants.json")))
                .isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Files.mismatch(extracted.resolve("payload-sandbox"), Path.of("payload-sandbox"))).isEqualTo(-1L);
        CommandResult help = Processes.run(List.of(extracted.resolve("payload-sandbox").toString(), "help"),
                Duration.ofSeconds(30), "extracted payload-sandbox help");
        assertThat(help.exitStatus()).isZero();
        assertThat(help.stdout()).contains("usage: payload-sandbox");
    }

    @Test
    void a_jar_is_extracted_with_its_exec_bits(@TempDir Path jarDir) throws Exception {
        // GIVEN a jar holding the dist tree, as the packaged sigkit-testbed jar does
        Path jar = jarDir.resolve("testbed.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar));
                Stream<Path> files = Files.walk(DIST)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                zip.putNextEntry(new ZipEntry(TestbedHome.DIST + "/" + DIST.relativize(file)));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        }
        URL script = new URL("jar:" + jar.toUri() + "!/" + TestbedHome.DIST + "/payload-sandbox");

        // WHEN it is extracted
        TestbedHome.extract(script, extracted);

        // THEN the tree is complete and its programs are executable
        assertThat(Files.mismatch(extracted.resolve("lib/standin"), DIST.resolve("lib/standin"))).isEqualTo(-1L);
        assertThat(Files.isExecutable(extracted.resolve("payload-sandbox"))).isTrue();
        assertThat(Files.isExecutable(extracted.resolve("payloads/reference/payload_exec"))).isTrue();
        assertThat(extracted.resolve("payloads/variants.json")).isRegularFile();
    }

    @Test
    @RequiresTestbed
    void an_extracted_copy_starts_a_payload() throws Exception {
        // GIVEN the dist copy extracted elsewhere, as from a runnable jar
        TestbedHome.copyTree(DIST, extracted);
        Path script = extracted.resolve("payload-sandbox");
        String name = "sk-dist-" + ThreadLocalRandom.current().nextInt(1_000_000);
        int port = ThreadLocalRandom.current().nextInt(32000, 32700);
        try {
            // WHEN it starts a payload with the reference payload_exec
            CommandResult up = Processes.run(List.of(script.toString(), "up", "--name", name, "--port",
                    Integer.toString(port)), Duration.ofSeconds(60), "extracted up");

            // THEN the payload runs with that payload_exec
            assertThat(up.exitStatus()).as("stderr: %s", up.stderr()).isZero();
            assertThat(up.stdout()).contains("\"target\":\"ssh://sigapi@127.0.0.1:" + port + "\"");
            CommandResult stat = Processes.run(List.of(script.toString(), "exec", "--name", name, "--", "stat", "-c",
                    "%a %U %s", "/usr/bin/payload_exec"), Duration.ofSeconds(30), "stat payload_exec");
            assertThat(stat.stdout().strip())
                    .isEqualTo("755 root " + Files.size(extracted.resolve("payloads/reference/payload_exec")));
        } finally {
            Processes.run(List.of(script.toString(), "down", "--name", name), Duration.ofSeconds(30), "down");
        }
        assertThat(HostTraces.STATE_ROOT.resolve(name)).doesNotExist();
    }
}
