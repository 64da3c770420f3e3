package io.sigkit.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.catalog.Requirement;
import io.sigkit.catalog.RequirementCatalog;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's blank project (src/test/resources/blank-project: one sigkit dependency, one test class) run by a real
 * Maven and Surefire against the reference image, with sigkit's jars in a local repository of its own (this build's
 * repository as a read-only tail): its Surefire
 * XML must name every requirement test by ID. Runs after {@code package} (it needs this module's jar).
 */
@RequiresContainerEngine
class BlankProjectSurefireTests {

    private static final Pattern TESTCASE = Pattern.compile("<testcase name=\"([^\"]*)\"[^>]*?(/>|>(.*?)</testcase>)",
            Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void blank_project_certifies_the_reference_image_and_its_surefire_xml_names_every_requirement_by_id()
            throws Exception {
        // GIVEN the blank project, sigkit's jars in a local repository, and the reference image
        Path repo = Path.of(System.getProperty("sigkit.repo.dir"));
        Path project = copy(Path.of(System.getProperty("sigkit.blank.project")), dir.resolve("project"));
        Path localRepo = dir.resolve("repo");
        install(repo, localRepo);
        String image = Images.reference();

        // WHEN its tests run with Maven as the README says (what this build's repository lacks comes from Maven
        // Central, into the project's own repository: a consumer's dependency resolution picks its own versions)
        List<String> cmd = List.of(repo.resolve("mvnw").toString(), "-B", "-q", "-ntp",
                "-Dmaven.repo.local=" + localRepo, "-Dmaven.repo.local.tail=" + System.getProperty("sigkit.local.repo"),
                "test");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("mvn.log").toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.put("PAYLOAD_IMAGE", image);
        env.remove("MAVEN_OPTS");
        Process p = pb.start();
        assertThat(p.waitFor(600, TimeUnit.SECONDS)).as("the blank project's mvn test ended").isTrue();
        String log = Files.readString(dir.resolve("mvn.log"));
        assertThat(p.exitValue()).as("mvn test of the blank project; its log:%n%s", log).isZero();

        // THEN its Surefire XML names each requirement's test by "SIG-XXX-NNN [LEVEL] title" (after the display name of
        // the requirements' container), all 31 passing
        String xml = Files.readString(project.resolve(
                "target/surefire-reports/TEST-com.example.payload.PayloadConformanceTests.xml"), StandardCharsets.UTF_8);
        List<String> names = new ArrayList<>();
        List<String> notPassed = new ArrayList<>();
        Matcher m = TESTCASE.matcher(xml);
        while (m.find()) {
            String name = unescape(m.group(1));
            names.add(name);
            if (m.group(3) != null && m.group(3).matches("(?s).*<(failure|error|skipped)\\b.*")) {
                notPassed.add(name);
            }
        }
        for (Requirement r : RequirementCatalog.load().requirements()) {
            String expected = r.id() + " [" + r.level() + "] " + r.title();
            assertThat(names).as("Surefire's testcase names").anyMatch(n -> n.endsWith(" " + expected));
        }
        assertThat(names).noneMatch(n -> n.contains("signalingApiRequirements"));
        assertThat(notPassed).as("tests not passed").isEmpty();
    }

    private static String unescape(String xml) {
        return xml.replace("&lt;", "<").replace("&gt;", ">").replace("&apos;", "'").replace("&quot;", "\"")
                .replace("&amp;", "&");
    }

    /** sigkit's parent pom and the jars the blank project depends on, as `mvn install` would lay them out. */
    private static void install(Path repo, Path localRepo) throws IOException {
        put(localRepo, "sigkit-parent", repo.resolve("pom.xml"), null);
        for (String module : List.of("schemas", "conformance-core", "junit-extension", "testcontainers")) {
            String artifact = "sigkit-" + module;
            Path jar = repo.resolve(module).resolve("target").resolve(artifact + "-0.1.0-SNAPSHOT.jar");
            assertThat(jar).as("%s's jar (run after package)", module).isRegularFile();
            put(localRepo, artifact, repo.resolve(module).resolve("pom.xml"), jar);
        }
    }

    private static void put(Path localRepo, String artifact, Path pom, Path jar) throws IOException {
        Path d = Files.createDirectories(localRepo.resolve("io/sigkit").resolve(artifact).resolve("0.1.0-SNAPSHOT"));
        Files.copy(pom, d.resolve(artifact + "-0.1.0-SNAPSHOT.pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            Files.copy(jar, d.resolve(artifact + "-0.1.0-SNAPSHOT.jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
        return to;
    }
}
