package io.sigkit.cli;

import static io.sigkit.cli.SigkitTestCase.assertOneLineError;
import static io.sigkit.cli.SigkitTestCase.sigkit;
import static io.sigkit.cli.SigkitTestCase.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.cli.SigkitTestCase.Execution;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sigkit diff} on input it cannot compare: one line naming the file, exit 64. */
class DiffCommandTests {

    @TempDir
    Path dir;

    @Test
    void a_missing_report_exits_64_naming_it() {
        Path missing = dir.resolve("no-such-report");
        Execution e = sigkit("diff", missing.toString(), dir.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).isEqualTo("sigkit diff: cannot read report " + missing + ": no such file or directory"
                + System.lineSeparator());
        assertThat(e.out()).isEmpty();
    }

    @Test
    void a_directory_without_report_json_exits_64_naming_it() throws Exception {
        Path empty = Files.createDirectory(dir.resolve("reports"));
        Execution e = sigkit("diff", empty.toString(), empty.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).contains("report directory " + empty + " has no report.json");
    }

    @Test
    void malformed_json_and_a_foreign_document_exit_64_with_file_and_line() throws Exception {
        Path broken = write(dir, "report.json", "{\"verdict\": \"CONFORMANT\",\n  \"results\": [\n");
        Execution e = sigkit("diff", broken.toString(), broken.toString());
        assertThat(e.exitCode()).as("%s", e).isEqualTo(64);
        assertOneLineError(e);
        assertThat(e.err()).startsWith("sigkit diff: " + broken + ":");

        Path foreign = write(dir, "package.json", "{\"name\": \"left-pad\", \"version\": \"1.3.0\"}");
        Execution f = sigkit("diff", foreign.toString(), broken.toString());
        assertThat(f.exitCode()).as("%s", f).isEqualTo(64);
        assertOneLineError(f);
        assertThat(f.err()).startsWith("sigkit diff: " + foreign).contains("not a sigkit report.json");
    }

    @Test
    void help_lists_its_exit_codes() {
        Execution e = sigkit("diff", "--help");
        assertThat(e.exitCode()).isZero();
        assertThat(e.out().replaceAll("\\s+", " ")).contains(" 0 no requirement regressed")
                .contains(" 1 a requirement regressed: PASS in OLD, FAIL, ERROR or WAIVED in NEW")
                .contains(" 64 usage error, or a report that cannot be read");
    }
}
