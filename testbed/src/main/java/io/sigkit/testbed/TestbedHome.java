package io.sigkit.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the sandbox script, its helpers and the payloads are: the source tree's {@code testbed/} directory when the
 * code runs from it, else a copy extracted from the jar ({@code io/sigkit/testbed/dist/}) into a temporary directory
 * that is deleted when the JVM exits.
 */
final class TestbedHome {

    static final String SCRIPT = "payload-sandbox";
    static final String DIST = "io/sigkit/testbed/dist";

    private static Path home;
    private static Path extracted;

    private TestbedHome() {
    }

    /** The testbed directory (holding payload-sandbox, lib/ and payloads/); extracts it on first use if needed. */
    static synchronized Path get() {
        if (home == null) {
            home = fromSourceTree().orElseGet(TestbedHome::extractFromClasspath);
        }
        return home;
    }

    /** The extracted copy, if one was made; the JVM's shutdown hook deletes it after the last payload is down. */
    static synchronized Optional<Path> extractedCopy() {
        return Optional.ofNullable(extracted);
    }

    private static Optional<Path> fromSourceTree() {
        String explicit = System.getProperty("sigkit.testbed.home");
        if (explicit != null && !explicit.isBlank()) {
            Path dir = Path.of(explicit).toAbsolutePath().normalize();
            if (!Files.isRegularFile(dir.resolve(SCRIPT))) {
                throw new TestbedException("sigkit.testbed.home=" + explicit + " holds no " + SCRIPT);
            }
            return Optional.of(dir);
        }
        String repo = System.getProperty("sigkit.repo.dir");
        if (repo != null && !repo.isBlank() && Files.isRegularFile(Path.of(repo, "testbed", SCRIPT))) {
            return Optional.of(Path.of(repo, "testbed").toAbsolutePath().normalize());
        }
        try {
            URL location = TestbedHome.class.getProtectionDomain().getCodeSource().getLocation();
            Path classes = Path.of(location.toURI());
            // .../testbed/target/classes when running from the source tree
            if (Files.isDirectory(classes) && classes.getParent() != null && classes.getParent().getParent() != null) {
                Path module = classes.getParent().getParent();
                if (Files.isRegularFile(module.resolve(SCRIPT))) {
                    return Optional.of(module);
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // Not a file location (e.g. a nested jar): fall back to the copy in the jar.
        }
        return Optional.empty();
    }

    private static Path extractFromClasspath() {
        URL script = TestbedHome.class.getClassLoader().getResource(DIST + "/" + SCRIPT);
        if (script == null) {
            throw new TestbedException("the testbed's scripts are not on the classpath (no " + DIST + "/" + SCRIPT
                    + "): use the sigkit-testbed jar, or set -Dsigkit.testbed.home=<checkout>/testbed");
        }
        try {
            Path target = Files.createTempDirectory("sigkit-testbed-");
            extracted = target;
            extract(script, target);
            return target;
        } catch (IOException e) {
            throw new TestbedException("cannot extract the testbed's scripts from " + script + ": " + e.getMessage(), e);
        }
    }

    /** Copies the dist tree holding {@code script} (a file: or jar: URL of its payload-sandbox) into {@code target}. */
    static void extract(URL script, Path target) throws IOException {
        URI uri;
        try {
            uri = script.toURI();
        } catch (URISyntaxException e) {
            throw new IOException("not a usable URL: " + script, e);
        }
        if (!"jar".equals(uri.getScheme())) {
            copyTree(Path.of(uri).getParent(), target);
            return;
        }
        FileSystem jar;
        boolean opened = false;
        try {
            jar = FileSystems.newFileSystem(uri, Map.of());
            opened = true;
        } catch (FileSystemAlreadyExistsException e) {
            jar = FileSystems.getFileSystem(uri);
        }
        try {
            copyTree(jar.getPath("/" + DIST), target);
        } finally {
            if (opened) {
                jar.close();
            }
        }
    }

    /** Copies the dist tree to {@code target}, restoring the exec bits that jars do not keep. */
    static void copyTree(Path source, Path target) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.toList();
        }
        for (Path file : files) {
            String relative = source.relativize(file).toString();
            Path destination = relative.isEmpty() ? target : target.resolve(relative);
            if (Files.isDirectory(file)) {
                Files.createDirectories(destination);
                Files.setPosixFilePermissions(destination, PosixFilePermissions.fromString("rwxr-xr-x"));
            } else {
                Files.createDirectories(destination.getParent());
                Files.copy(file, destination);
                Files.setPosixFilePermissions(destination,
                        PosixFilePermissions.fromString(isExecutable(relative) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    /** Which dist files are programs: the script, its helpers, payload_exec files and shell or Python scripts. */
    static boolean isExecutable(String relativePath) {
        String path = relativePath.replace('\\', '/');
        String name = path.substring(path.lastIndexOf('/') + 1);
        return path.equals(SCRIPT) || path.startsWith("lib/") || path.equals("images/build-image")
                || name.equals("payload_exec")
                || name.endsWith(".sh") || name.endsWith(".py");
    }

    /** Deletes the extracted copy, if any. */
    static synchronized void deleteExtractedCopy() {
        if (extracted == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(extracted)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + extracted, e);
        }
        extracted = null;
        home = null;
    }
}
