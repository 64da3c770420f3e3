package io.sigkit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a certification's results go: the report directory, stdout's format and the progress display. */
final class OutputOptions {

    /** How progress is shown while the run goes. */
    enum ProgressMode {
        /** live on a terminal, plain lines otherwise; JSON lines on stderr with --format json */
        AUTO,
        /** a line per requirement and a status line that updates in place (terminals) */
        LIVE,
        /** a line per requirement and per step, nothing rewritten (logs) */
        PLAIN,
        /** JSON lines, one object per event, on stderr */
        JSON,
        /** no progress; only the summary (text) or the report (json) */
        NONE;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Option(names = "--report-dir", paramLabel = "DIR", order = 40,
            description = "Write report.json, junit.xml, report.html and summary.md into DIR (created if missing;"
                    + " files of an earlier run there are replaced). certify writes none without it; demo writes to"
                    + " sigkit-demo-report.")
    Path reportDir;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json", order = 41,
            description = "stdout: a text summary (default), or json: ONLY the JSON report (progress then goes to"
                    + " stderr as JSON lines).")
    OutputFormat format = OutputFormat.TEXT;

    @Option(names = "--progress", defaultValue = "auto", paramLabel = "MODE", order = 42,
            description = "auto (default), live, plain, json or none. auto: live on a terminal, plain lines otherwise,"
                    + " JSON lines on stderr with --format json.")
    ProgressMode progress = ProgressMode.AUTO;

    /** Creates the report directory and checks it can be written, before the run spends any time. */
    void prepareReportDir() {
        if (reportDir == null) {
            return;
        }
        if (Files.exists(reportDir) && !Files.isDirectory(reportDir)) {
            throw CliError.usage("report directory " + reportDir + " is a file, not a directory");
        }
        try {
            Files.createDirectories(reportDir);
            Path probe = Files.createTempFile(reportDir, ".sigkit-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw CliError.usage("cannot write to report directory " + reportDir + ": " + ExitCodes.summary(e));
        }
    }
}
