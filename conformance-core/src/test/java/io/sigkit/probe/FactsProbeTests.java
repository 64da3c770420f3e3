package io.sigkit.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The probe script runs under every shell a payload may have as login shell, and parses into facts. */
class FactsProbeTests {

    static Stream<List<String>> shells() {
        return LocalShell.available().stream();
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void the_probe_runs_cleanly_and_parses(List<String> shell) throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the probe reads /proc and /sys");
        // GIVEN the probe script, WHEN it runs under a real shell of this machine
        RemoteScript.Output out = LocalShell.run(shell, FactsProbe.script("abc1234567890def", "sigkit"));
        // THEN it prints nothing on stderr, and its sections parse into facts
        assertThat(out.exec().stderr()).as("stderr under %s", shell).isEmpty();
        assertThat(out.problem()).isNull();
        PayloadFacts f = PayloadFacts.of(out);
        assertThat(f.unameS()).isEqualTo("Linux");
        assertThat(f.uid()).isPresent();
        assertThat(f.user()).isNotBlank();
        assertThat(f.interfaces()).extracting(PayloadFacts.NetInterface::name).contains("lo");
        assertThat(f.interfaces()).filteredOn(PayloadFacts.NetInterface::isLoopback).isNotEmpty();
        assertThat(f.clockStartNanos()).isPresent();
        assertThat(f.sections().has("runs")).isTrue();
        assertThat(f.nowSeconds()).isPositive();
        assertThat(f.shellExecutable()).isNotBlank();
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void payload_exec_facts_are_read_from_the_file_itself(List<String> shell) throws Exception {
        // GIVEN a script with a CRLF shebang at a known path (the probe's path is fixed, so rewrite it for the test)
        java.nio.file.Path file = java.nio.file.Files.createTempFile("payload_exec", "");
        java.nio.file.Files.writeString(file, "#!/bin/sh\r\necho hi\r\n");
        file.toFile().setExecutable(true);
        RemoteScript script = FactsProbe.script("abc1234567890def", "sigkit", file.toString());
        // WHEN the probe reads it
        PayloadFacts f = PayloadFacts.of(LocalShell.run(shell, script));
        // THEN the carriage return is seen, the interpreter is resolved without it, and the file is a regular file
        PathFacts pe = f.payloadExec();
        assertThat(pe.shebang().present()).isTrue();
        assertThat(pe.shebang().hasCarriageReturn()).isTrue();
        assertThat(pe.shebang().line()).isEqualTo("#!/bin/sh\\r");
        assertThat(pe.shebang().interpreter()).isEqualTo("/bin/sh");
        assertThat(pe.shebang().interpreterCheck()).isEqualTo(PathFacts.InterpreterCheck.YES);
        assertThat(pe.targetStat()).hasValueSatisfying(s -> assertThat(s.isRegularFile()).isTrue());
        assertThat(pe.sha256()).hasSize(64);
        assertThat(pe.access().execute()).isTrue();
        java.nio.file.Files.delete(file);
    }
}
