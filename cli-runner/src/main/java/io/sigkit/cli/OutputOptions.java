package io.sigkit.cli;

import io.sigkit.transport.SecretSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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

    @Option(names = "--sign", paramLabel = "KEYFILE", order = 43,
            description = "Sign the report directory with this OpenSSH private key (ed25519, ECDSA or RSA): writes"
                    + " SHA256SUMS and SHA256SUMS.sig (ssh-keygen -Y sign format, namespace sigkit-evidence); check it"
                    + " with 'sigkit verify DIR'. Needs --report-dir.")
    Path sign;

    @Option(names = "--sign-passphrase-env", paramLabel = "VAR", order = 44,
            description = "Environment variable holding the passphrase of an encrypted --sign key.")
    String signPassphraseEnv;

    @Option(names = "--sign-passphrase-file", paramLabel = "FILE", order = 45,
            description = "File holding the passphrase of an encrypted --sign key (one trailing newline dropped).")
    Path signPassphraseFile;

    private EvidenceKey evidenceKey;

    /** The --sign key, loaded once (before the run, by {@link #prepareReportDir}); empty without --sign. */
    Optional<EvidenceKey> evidenceKey() {
        if (sign == null) {
            if (signPassphraseEnv != null || signPassphraseFile != null) {
                throw CliError.usage((signPassphraseEnv != null ? "--sign-passphrase-env" : "--sign-passphrase-file")
                        + " goes with --sign KEYFILE");
            }
            return Optional.empty();
        }
        if (evidenceKey == null) {
            if (reportDir == null) {
                throw CliError.usage("--sign needs --report-dir DIR: it signs the report directory");
            }
            if (signPassphraseEnv != null && signPassphraseFile != null) {
                throw CliError.usage("give the signing key's passphrase either by --sign-passphrase-env or by"
                        + " --sign-passphrase-file, not both");
            }
            Inputs.requireReadableFileIfSet(signPassphraseFile, "signing key passphrase file");
            Optional<SecretSource> passphrase;
            try {
                passphrase = signPassphraseEnv != null
                        ? Optional.of(SecretSource.environment(signPassphraseEnv))
                        : Optional.ofNullable(signPassphraseFile).map(SecretSource::file);
            } catch (IllegalArgumentException e) {
                throw CliError.usage("--sign-passphrase-env: " + e.getMessage());
            }
            evidenceKey = EvidenceKey.load(sign, passphrase);
        }
        return Optional.of(evidenceKey);
    }

    /**
     * Creates the report directory and checks it can be written, and loads the --sign key, before the run spends any
     * time.
     */
    void prepareReportDir() {
        evidenceKey();
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
