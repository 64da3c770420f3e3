package io.sigkit.cli;

import io.sigkit.reports.evidence.AllowedSigners;
import io.sigkit.reports.evidence.EvidenceVerifier;
import io.sigkit.reports.evidence.EvidenceVerifier.Verification;
import io.sigkit.reports.evidence.SignedEvidence;
import io.sigkit.text.SafeText;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sigkit verify}: checks a signed report directory as its receiver would. */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        header = "Checks signed evidence: every file against SHA256SUMS, the SSH signature, and the verdict.",
        description = {"",
            "Checks a report directory written by 'sigkit certify --sign KEY': every file against SHA256SUMS (a"
                + " changed, missing or added file is named), the SSH signature SHA256SUMS.sig over it (namespace "
                + SignedEvidence.NAMESPACE + "; with --allowed-signers, that the key may sign it, and who it is),"
                + " that report.json names the key that signed, and that report.json's verdict is the one its results"
                + " give. The same checks with standard tools: 'sha256sum -c SHA256SUMS' and 'ssh-keygen -Y verify"
                + " -f allowed_signers -I SIGNER -n " + SignedEvidence.NAMESPACE + " -s SHA256SUMS.sig < SHA256SUMS'.",
            ""})
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The report directory.")
    Path dir;

    @Option(names = "--allowed-signers", paramLabel = "FILE",
            description = "Keys allowed to sign sigkit evidence, in ssh-keygen's allowed signers format (principals"
                    + " [options] keytype key); without it any key's signature is accepted and named by its fingerprint.")
    Path allowedSigners;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Optional<AllowedSigners> signers = Optional.empty();
        if (allowedSigners != null) {
            Inputs.requireReadableFile(allowedSigners, "allowed signers file");
            try {
                signers = Optional.of(AllowedSigners.read(allowedSigners));
            } catch (IllegalArgumentException e) {
                throw CliError.usage(e.getMessage());
            } catch (IOException e) {
                throw CliError.usage("cannot read allowed signers file " + allowedSigners + ": " + ExitCodes.summary(e));
            }
        }
        Verification v;
        try {
            v = EvidenceVerifier.verify(dir, signers, Instant.now());
        } catch (IllegalArgumentException e) {
            throw CliError.usage(e.getMessage());
        } catch (IOException e) {
            throw CliError.usage("cannot read " + dir + ": " + ExitCodes.summary(e));
        }
        String where = SafeText.escapeLine(dir.toString());
        if (v.valid()) {
            out.println("valid: " + where + ": " + v.files() + " files match SHA256SUMS; signed by "
                    + SafeText.escapeLine(v.signer().orElse("?"))
                    + (signers.isEmpty() ? " (no --allowed-signers: whether this key may sign was not checked)" : "")
                    + "; verdict " + v.verdict().map(Enum::name).orElse("?") + " re-derived from report.json's results");
        } else {
            for (String problem : v.problems()) {
                out.println("invalid: " + where + "/" + SafeText.escapeLine(problem));
            }
            v.signer().ifPresent(s -> out.println("signed by " + SafeText.escapeLine(s)));
        }
        out.flush();
        return v.valid() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
