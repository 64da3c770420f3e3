package io.sigkit.reports;

import io.sigkit.run.RunResult;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Writes every report of a certification run into one directory: {@code report.json}, {@code junit.xml},
 * {@code report.html} and {@code summary.md}.
 */
public final class Reports {

    /** File name of the JSON report. */
    public static final String JSON = "report.json";
    /** File name of the JUnit XML report. */
    public static final String JUNIT_XML = "junit.xml";
    /** File name of the HTML report. */
    public static final String HTML = "report.html";
    /** File name of the Markdown summary. */
    public static final String MARKDOWN = "summary.md";

    private Reports() {
    }

    /**
     * Writes the four reports into {@code dir}, creating it.
     *
     * @return the files written, in the order report.json, junit.xml, report.html, summary.md
     * @throws UncheckedIOException naming the file that could not be written
     */
    public static List<Path> writeAll(RunResult result, Path dir) {
        return writeAll(result, dir, null);
    }

    /**
     * Writes the four reports into {@code dir}, creating it; {@code report.json} records who will sign the directory.
     *
     * @param signature the evidence signature to record, or {@code null} when the directory will not be signed
     * @return the files written, in the order report.json, junit.xml, report.html, summary.md
     * @throws UncheckedIOException naming the file that could not be written
     */
    public static List<Path> writeAll(RunResult result, Path dir, EvidenceSignature signature) {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(dir, "dir");
        Path json = dir.resolve(JSON);
        Path junit = dir.resolve(JUNIT_XML);
        Path html = dir.resolve(HTML);
        Path markdown = dir.resolve(MARKDOWN);
        JsonReport.write(result, json, signature);
        JunitXmlReport.write(result, junit);
        HtmlReport.write(result, html);
        MarkdownSummary.write(result, markdown);
        return List.of(json, junit, html, markdown);
    }
}
