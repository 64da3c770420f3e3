package io.sigkit.cli;

import io.sigkit.check.RequirementResult;
import io.sigkit.reports.EvidenceSignature;
import io.sigkit.reports.JsonReport;
import io.sigkit.reports.Reports;
import io.sigkit.run.Certification;
import io.sigkit.run.RunOptions;
import io.sigkit.run.RunResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one certification for {@code certify} and {@code demo}: shows progress, turns a target that could not be
 * logged in to into a configuration error, writes the reports, prints the summary (or only the JSON report) and
 * returns the verdict's exit code.
 */
final class CertificationRunner {
    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputOptions output;
    private final boolean terminal;

    CertificationRunner(PrintWriter out, PrintWriter err, OutputOptions output, boolean terminal) {
        this.out = out;
        this.err = err;
        this.output = output;
        this.terminal = terminal;
    }

    /** Whether stdout is an interactive terminal (for live progress). */
    static boolean stdoutIsTerminal() {
        return System.console() != null;
    }

    /** The result of a run and where its reports went. */
    record Certified(RunResult result, List<Path> reports, int exitCode) {
        Certified {
            reports = List.copyOf(reports);
        }
    }

    int run(RunOptions options) {
        return certify(options).exitCode();
    }

    Certified certify(RunOptions options) {
        output.prepareReportDir();
        io.sigkit.run.Kit.prefetchProvenance();
        RunResult result;
        AtomicBoolean interrupted = new AtomicBoolean();
        try (ConnectionGate progress = Progress.create(output.progress, output.format, terminal, out, err)) {
            Thread onInterrupt = new Thread(() -> {
                interrupted.set(true);
                progress.silence();
                err.println("sigkit: interrupted: the run ends without a verdict; the kit removes what it created on"
                        + " the payload before exiting");
                err.flush();
            }, "sigkit-interrupted");
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            try {
                result = Certification.run(options, progress);
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(onInterrupt);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down (Ctrl-C): the hook runs
                }
            }
        }
        if (interrupted.get()) {
            return new Certified(result, List.of(), ExitCodes.INTERRUPTED);
        }
        if (result.sessionsOpened() == 0) {
            throw CliError.usage(loginFailure(result) + " (nothing was certified)");
        }
        List<Path> written = List.of();
        Optional<EvidenceKey> signing = output.evidenceKey();
        EvidenceSignature signature = signing.map(EvidenceKey::signature).orElse(null);
        if (output.reportDir != null) {
            written = writeReports(result, output.reportDir, signature);
            if (signing.isPresent()) {
                written = new java.util.ArrayList<>(written);
                written.addAll(signing.get().sign(output.reportDir));
            }
        }
        if (output.format == OutputFormat.JSON) {
            out.println(json(result, signature));
        } else {
            Summary.print(result, written, output.reportDir, out);
        }
        out.flush();
        return new Certified(result, written, ExitCodes.of(result.verdict()));
    }

    /** Why the kit could not log in, as the transport said it: the SSH daemon check (or login check) holds it. */
    static String loginFailure(RunResult result) {
        for (String id : List.of("SIG-ENV-002", "SIG-ENV-003")) {
            Optional<Object> error = result.result(id).map(r -> r.evidence().get("error"));
            if (error.isPresent() && error.get() instanceof String s && !s.isBlank()) {
                return s;
            }
        }
        return result.results().stream()
                .filter(r -> r.outcome() == io.sigkit.check.Outcome.FAIL || r.outcome() == io.sigkit.check.Outcome.ERROR)
                .map(RequirementResult::message).findFirst()
                .orElse("could not log in to " + result.target().address());
    }

    private static List<Path> writeReports(RunResult result, Path dir, EvidenceSignature signature) {
        try {
            return Reports.writeAll(result, dir, signature);
        } catch (Exception e) {
            throw new CliError(ExitCodes.INTERNAL, "the certification ran (verdict " + result.verdict()
                    + ") but its reports could not be written to " + dir + ": " + ExitCodes.summary(e));
        }
    }

    private static String json(RunResult result, EvidenceSignature signature) {
        try {
            return JsonReport.toJson(result, signature);
        } catch (Exception e) {
            throw new CliError(ExitCodes.INTERNAL, "the certification ran (verdict " + result.verdict()
                    + ") but its JSON report could not be made: " + ExitCodes.summary(e));
        }
    }
}
