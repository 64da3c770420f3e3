package io.sigkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sigkit.testbed.junit.RequiresTestbed;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar itself, {@code target/sigkit.jar}, run as users run it: {@code java -jar sigkit.jar ...} in a
 * separate JVM. Runs after {@code package} (see the surefire execution {@code sigkit-jar-tests} in the pom).
 */
class SigkitJarTests {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    static Path jar() {
        String property = System.getProperty("sigkit.jar");
        assertThat(property).as("system property sigkit.jar (set by the pom)").isNotBlank();
        Path jar = Path.of(property);
        assertThat(jar).as("the shaded jar; run 'mvn package' first").isRegularFile();
        return jar;
    }

    Run java(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(Arrays.asList(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("java -jar sigkit.jar " + String.join(" ", args) + " did not end within "
                    + timeoutSeconds + " s; stderr: " + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void help_runs_from_the_jar_and_lists_commands_and_exit_codes() throws Exception {
        Run r = java(60, "--help");
        assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
        assertThat(r.out()).contains("Usage: sigkit").contains("certify").contains("validate").contains("list")
                .contains("signal").contains("demo").contains("Exit codes:");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void the_jar_holds_no_stale_signature_and_names_its_main_class() throws Exception {
        try (JarFile jar = new JarFile(jar().toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("io.sigkit.cli.Main");
            assertThat(jar.stream().map(ZipEntry::getName))
                    .noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)"));
            // the testbed's scripts travel in the jar, for sigkit demo
            assertThat(jar.getEntry("io/sigkit/testbed/dist/payload-sandbox")).isNotNull();
            // exactly one SLF4J binding
            assertThat(jar.getEntry("org/slf4j/simple/SimpleLogger.class")).isNotNull();
            assertThat(jar.getEntry("org/slf4j/nop/NOPLogger.class")).isNull();
        }
    }

    @Test
    void list_as_json_from_the_jar_parses() throws Exception {
        Run r = java(60, "list", "--format", "json");
        assertThat(r.exitCode()).as("stderr: %s", r.err()).isZero();
        assertThat(JSON.readTree(r.out()).get("requirements").size()).isEqualTo(31);
    }

    @Test
    @RequiresTestbed
    void demo_from_the_jar_logs_in_with_an_ed25519_key_certifies_and_writes_the_reports() throws Exception {
        // WHEN the README's demo command runs from the jar (ed25519 key login through the shaded BouncyCastle)
        Run r = java(300, "demo", "--format", "json", "--report-dir", "demo-report");
        // THEN exit 0, stdout is the JSON report with verdict CONFORMANT, and the reports are where it says
        assertThat(r.exitCode()).as("stdout: %s%nstderr: %s", r.out(), r.err()).isZero();
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.get("verdict").asText()).isEqualTo("CONFORMANT");
        Path reports = dir.resolve("demo-report");
        assertThat(reports.resolve("report.json")).isRegularFile();
        assertThat(reports.resolve("report.html")).isRegularFile();
        assertThat(reports.resolve("junit.xml")).isRegularFile();
        assertThat(reports.resolve("summary.md")).isRegularFile();
        // AND stderr is JSON lines only, saying where the payload was and that it was stopped
        for (String line : r.err().lines().filter(l -> !l.isBlank()).toList()) {
            assertThat(JSON.readTree(line).has("event")).as(line).isTrue();
        }
        assertThat(r.err()).contains("stopped payload");
    }
}
