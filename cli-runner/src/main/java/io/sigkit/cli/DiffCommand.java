package io.sigkit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.sigkit.reports.ReportDiff;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sigkit diff}: what changed between two certifications of a payload. */
@Command(name = "diff", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        header = "Compares two certification reports: outcomes, timings, payload_exec, kit and target.",
        description = {"",
            "OLD and NEW are report directories (--report-dir of 'sigkit certify') or report.json files, e.g. of two"
                + " payload_exec builds, or of the bench and the flight model. Shows every requirement whose outcome"
                + " changed (regressed: PASS before, FAIL, ERROR or WAIVED now), every timing whose median at least"
                + " doubled or halved and moved by at least " + ReportDiff.TIMING_FLOOR_MILLIS + " ms, and changes of"
                + " the payload_exec SHA-256, the kit and catalog versions and the target's identity.",
            ""})
final class DiffCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OLD", description = "The earlier report (directory or report.json).")
    Path oldReport;

    @Parameters(index = "1", paramLabel = "NEW", description = "The later report (directory or report.json).")
    Path newReport;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|json",
            description = "text for people, json for tools (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Override
    public Integer call() {
        JsonNode before = read(oldReport);
        JsonNode after = read(newReport);
        ReportDiff diff = ReportDiff.compare(before, oldReport.toString(), after, newReport.toString());
        PrintWriter out = spec.commandLine().getOut();
        out.print(format == OutputFormat.JSON ? diff.toJson() : diff.toText());
        out.flush();
        return diff.regressed() ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private static JsonNode read(Path report) {
        try {
            return ReportDiff.read(report);
        } catch (ReportDiff.InputException e) {
            throw CliError.usage(e.getMessage());
        }
    }
}
