package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * payloads/make_variants.py is the one source of the variants: the build runs its {@code --check}, so variants.json,
 * variants/ and the README's tables can never drift from it (they are edited through it, never by hand).
 */
class MakeVariantsTests {

    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path copy;

    @Test
    void the_committed_variants_are_what_make_variants_generates() {
        // GIVEN the testbed's payloads as committed, WHEN make_variants.py --check runs
        CommandResult check = check(Testbed.home());

        // THEN it finds every generated file current
        assertThat(check.exitStatus()).as("make_variants.py --check: %s%s", check.stdout(), check.stderr()).isZero();
        assertThat(check.stdout()).contains("variants up to date");
    }

    @Test
    void a_hand_edit_of_a_generated_file_or_table_is_named_by_the_check() throws IOException {
        // GIVEN a copy of the payloads and README where variants.json and a README table were edited by hand
        copyTree(Testbed.home().resolve("payloads"), copy.resolve("payloads"));
        Files.copy(Testbed.home().resolve("README.md"), copy.resolve("README.md"));
        Path json = copy.resolve("payloads").resolve("variants.json");
        Files.writeString(json, Files.readString(json).replace("\"REQUIRED\"", "\"RECOMMENDED\""));
        Path readme = copy.resolve("README.md");
        Files.writeString(readme, Files.readString(readme).replace("| `no-sudo` |", "| `no-sudo-at-all` |"));

        // WHEN make_variants.py --check runs on the copy
        CommandResult check = check(copy);

        // THEN it fails naming both files
        assertThat(check.exitStatus()).isEqualTo(1);
        assertThat(check.stderr()).contains("out of date").contains("variants.json").contains("README.md");
    }

    private static CommandResult check(Path home) {
        Path script = home.resolve("payloads").resolve("make_variants.py");
        return Processes.run(List.of("python3", script.toString(), "--check"), BOUND, "make_variants.py --check");
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.filter(p -> !p.toString().contains("__pycache__")).toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
