package io.sigkit.schemas;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds files of the shared spec folder (../shared/spec) that the build passes as {@code sigkit.shared.dir}. */
public final class SharedSpec {

    private SharedSpec() {
    }

    /** The file, or null when the shared folder (or the file) is absent, as in a clean checkout. */
    public static Path file(String name) {
        String dir = System.getProperty("sigkit.shared.dir");
        if (dir == null || dir.isBlank()) {
            return null;
        }
        Path file = Path.of(dir, "spec", name);
        return Files.isRegularFile(file) ? file : null;
    }
}
