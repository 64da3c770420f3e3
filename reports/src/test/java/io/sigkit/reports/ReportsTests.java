package io.sigkit.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sigkit.run.RunResult;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTests {

    @TempDir
    Path dir;

    @Test
    void write_all_creates_the_directory_and_the_four_reports() throws Exception {
        // GIVEN a directory that does not exist yet
        Path reports = dir.resolve("run/reports");
        RunResult run = RunResultTestCase.notConformant();

        // WHEN every report is written
        List<Path> files = Reports.writeAll(run, reports);

        // THEN the four files are there, in the documented order, each in its format
        assertThat(files).containsExactly(reports.resolve("report.json"), reports.resolve("junit.xml"),
                reports.resolve("report.html"), reports.resolve("summary.md"));
        assertThat(files).allSatisfy(f -> assertThat(Files.size(f)).isPositive());
        assertThat(SchemaValidator.of(SchemaId.REPORT_V1).validate(files.get(0)).valid()).isTrue();
        assertThat(JunitXmlReportTests.parse(files.get(1)).getDocumentElement().getAttribute("tests")).isEqualTo("31");
        assertThat(Files.readString(files.get(2))).contains("<h1 id=\"verdict\">NOT_CONFORMANT</h1>");
        assertThat(Files.readString(files.get(3))).startsWith("## ❌ sigkit: **NOT_CONFORMANT**");
        try (var listing = Files.list(reports)) {
            assertThat(listing).as("no temporary file left behind").hasSize(4);
        }
    }

    @Test
    void an_unwritable_directory_is_one_error_naming_the_file() throws Exception {
        // GIVEN a report directory path that is a regular file (root ignores permissions, not file types)
        Path notADirectory = Files.writeString(dir.resolve("occupied"), "a file");

        // THEN writing fails with an UncheckedIOException that names the report and the file
        assertThatThrownBy(() -> Reports.writeAll(RunResultTestCase.conformant(), notADirectory))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("cannot write the JSON report to " + notADirectory.resolve("report.json"));
    }

    @Test
    void a_report_file_that_is_a_directory_is_named_in_the_error() throws Exception {
        // GIVEN junit.xml exists as a directory, so only the second report cannot be written
        Files.createDirectories(dir.resolve("junit.xml/inside"));

        assertThatThrownBy(() -> Reports.writeAll(RunResultTestCase.conformant(), dir))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("cannot write the JUnit XML report to " + dir.resolve("junit.xml"));
        // AND the report written before it is complete, and no temporary file is left
        assertThat(SchemaValidator.of(SchemaId.REPORT_V1).validate(dir.resolve("report.json")).valid()).isTrue();
        try (var listing = Files.list(dir)) {
            assertThat(listing).noneMatch(p -> p.getFileName().toString().endsWith(".tmp"));
        }
    }
}
