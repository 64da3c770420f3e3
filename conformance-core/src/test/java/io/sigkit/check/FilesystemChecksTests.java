package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.probe.PayloadFacts;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FilesystemChecksTests {
    private static final RequirementCatalog CATALOG = RequirementCatalog.load();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** payload_exec with this start, executable, whose interpreter (as the probe read it) exists. */
    private static PayloadFacts script(String head, String interpreter) {
        byte[] h = bytes(head);
        return CannedFacts.of().put("payload-exec.access", "rx\n")
                .put("payload-exec.head", java.util.Arrays.copyOf(h, Math.min(h.length, 512)))
                .put("payload-exec.interpreter", interpreter + "\n").put("payload-exec.interpreter-ok", "yes\n").facts();
    }

    private static RequirementResult fs002(PayloadFacts f) {
        return FilesystemChecks.payloadExecExecutable(RequirementResult.of(CATALOG.get("SIG-FS-002")), f, "sigapi@payload");
    }

    @Test
    void a_297_byte_shebang_whose_interpreter_exists_fails_with_the_kernel_rule() {
        // GIVEN an interpreter path of 295 bytes that exists (a deep build workspace), so the line is 297 bytes
        String interpreter = "/var/lib/ci/workspace/" + "x".repeat(261) + "/bin/python3";
        assertThat(("#!" + interpreter).length()).isEqualTo(297);
        PayloadFacts f = script("#!" + interpreter + "\nimport sys\n", interpreter);
        // WHEN SIG-FS-002 is decided
        RequirementResult r = fs002(f);
        // THEN it fails naming the length and the kernel's rule
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-FS-002] the #! line of /usr/bin/payload_exec is 297 bytes")
                .contains("BINPRM_BUF_SIZE").contains("255 bytes").contains("ENOEXEC");
    }

    @Test
    void a_long_argument_is_cut_by_the_kernel_and_fails() {
        String line = "#!/usr/bin/python3 -X " + "a".repeat(300);
        RequirementResult r = fs002(script(line + "\nimport sys\n", "/usr/bin/python3"));
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("is " + line.length() + " bytes").contains("argument cut");
    }

    @Test
    void a_line_longer_than_the_probe_read_is_reported_as_such() {
        String interpreter = "/opt/" + "y".repeat(600) + "/python3";
        RequirementResult r = fs002(script("#!" + interpreter + "\n", interpreter));
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.actual()).startsWith("over 512 bytes");
    }

    @Test
    void a_255_byte_line_passes_and_a_256_byte_one_does_not() {
        String ok = "#!/usr/bin/python3 -" + "s".repeat(255 - 20);
        assertThat(ok.length()).isEqualTo(255);
        RequirementResult pass = fs002(script(ok + "\n", "/usr/bin/python3"));
        assertThat(pass.outcome()).as(pass.message()).isEqualTo(Outcome.PASS);
        assertThat(pass.message()).contains("its #! line is 255 bytes");
        RequirementResult fail = fs002(script(ok + "s\n", "/usr/bin/python3"));
        assertThat(fail.outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void the_reference_shebang_passes_and_says_what_was_observed() {
        RequirementResult r = fs002(script("#!/usr/bin/python3\n\"\"\"doc\"\"\"\n", "/usr/bin/python3"));
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.message()).contains("18 bytes").contains("/usr/bin/python3").contains("test -x");
    }

    @Test
    void a_carriage_return_still_fails() {
        RequirementResult r = fs002(script("#!/usr/bin/python3\r\nimport sys\r\n", "/usr/bin/python3"));
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("carriage return");
    }

    @Test
    void the_kernel_takes_the_interpreter_and_one_argument_and_pads_short_files_with_nul() {
        FilesystemChecks.KernelShebang k = FilesystemChecks.kernelShebang(bytes("#! /usr/bin/env  python3 -u \t\nx"));
        assertThat(k.interpreter()).isEqualTo("/usr/bin/env");
        assertThat(k.argument()).isEqualTo("python3 -u");
        assertThat(k.asWritten()).isTrue();
        FilesystemChecks.KernelShebang shortFile = FilesystemChecks.kernelShebang(bytes("#!/bin/sh"));
        assertThat(shortFile.interpreter()).isEqualTo("/bin/sh");
        assertThat(shortFile.asWritten()).isTrue();
    }
}
