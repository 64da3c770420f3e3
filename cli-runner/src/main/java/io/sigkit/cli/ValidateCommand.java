package io.sigkit.cli;

import io.sigkit.probe.ProbeDocument;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationError;
import io.sigkit.schemas.ValidationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sigkit validate FILE…}: checks window configs against the window config v1 schema, and probes files (those
 * whose {@code $schema} is probes.v1, or all with {@code --probes}) against probes.v1 and the rules of users' probes.
 */
@Command(name = "validate", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        header = "Checks window config files against the window config v1 schema, and probes files against probes.v1.",
        description = {"",
            "Prints one line per error, 'file:line:col /pointer: message', and one 'file: valid' line per "
                + "valid file (errors on stderr, valid files on stdout). A config is what the bus places at "
                + "/signaling/window_configs/<window id>.json: {\"version\": 1, \"signal_parameters\": {...}}. "
                + "A probes file (sigkit certify --probes) is recognised by its \"$schema\": "
                + "\"https://sigkit.io/schemas/probes.v1.schema.json\", or by --probes.",
            ""})
final class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Window config files or probes files (JSON).")
    List<Path> files;

    @picocli.CommandLine.Option(names = "--probes", description = "Validate every FILE as a probes file (probes.v1).")
    boolean probes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean invalid = false;
        boolean unreadable = false;
        for (Path file : files) {
            boolean probesFile = probes || declaresProbes(file);
            ValidationReport report = SchemaValidator.of(probesFile ? SchemaId.PROBES_V1 : SchemaId.WINDOW_CONFIG_V1)
                    .validate(file);
            if (report.valid() && probesFile) {
                try {
                    ProbeDocument d = ProbeDocument.readUserFile(file);
                    out.println(Progress.line(file + ": valid (probes.v1: " + (d.paths().size() + d.sudo().size())
                            + " probes)"));
                } catch (IllegalArgumentException e) {
                    invalid = true;
                    err.println(ExitCodes.oneLine(e.getMessage()));
                }
                continue;
            }
            if (report.valid()) {
                out.println(Progress.line(file + ": valid"));
                continue;
            }
            for (ValidationError e : report.errors()) {
                if (ValidationError.IO.equals(e.keyword())) {
                    unreadable = true;
                    err.println(ExitCodes.oneLine(e.message().startsWith("cannot read") ? e.message()
                            : file + ": cannot read: " + e.message()));
                } else {
                    invalid = true;
                    err.println(format(e));
                }
            }
        }
        out.flush();
        err.flush();
        return unreadable ? ExitCodes.USAGE : invalid ? ExitCodes.FAILED : ExitCodes.OK;
    }

    /** Whether a file's JSON root names probes.v1 as its {@code $schema} (a file that cannot be read does not). */
    static boolean declaresProbes(Path file) {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            byte[] head = in.readNBytes(1024 * 1024);
            com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(head);
            return root != null && SchemaId.PROBES_V1.id().equals(root.path("$schema").asText());
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * {@code file:line:col /pointer: message}, on one line with control characters escaped (the message may quote the
     * file's content); the location parts are left out where unknown.
     */
    static String format(ValidationError e) {
        StringBuilder sb = new StringBuilder(e.source());
        if (e.hasLocation()) {
            sb.append(':').append(e.line());
            if (e.column() > 0) {
                sb.append(':').append(e.column());
            }
        }
        sb.append(' ');
        if (ValidationError.SYNTAX.equals(e.keyword())) {
            String m = e.message();
            sb.append("not valid JSON: ").append(m.startsWith("invalid JSON: ") ? m.substring("invalid JSON: ".length()) : m);
        } else {
            sb.append(e.pointer().isEmpty() ? "/" : e.pointer()).append(": ").append(e.message());
        }
        return ExitCodes.oneLine(sb.toString());
    }
}
