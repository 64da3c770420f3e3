package io.sigkit.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sigkit.schemas.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** probes.v1 documents: the catalog's, users' files, and the script generated from them (run by real local shells). */
class ProbeDocumentTests {

    static Stream<List<String>> shells() {
        return LocalShell.available().stream();
    }

    @Test
    void the_catalogs_probes_declare_payload_exec_the_signaling_directories_and_the_bus_sudo_commands() {
        ProbeDocument d = ProbeDocument.catalog();
        assertThat(d.paths()).extracting(ProbeDocument.PathProbe::path).containsExactly("/usr/bin/payload_exec",
                "/signaling", "/signaling/inbox", "/signaling/window_configs");
        assertThat(d.path("payload-exec").orElseThrow().shebang()).isTrue();
        assertThat(d.path("inbox").orElseThrow().access()).containsExactly(ProbeDocument.Access.CREATE_ENTRY);
        assertThat(d.sudo()).extracting(ProbeDocument.SudoProbe::id).contains("date", "shutdown", "exact-date-set");
    }

    @Test
    void the_exact_sudo_command_lines_read_as_before_the_document() {
        // messages name these lines: they must not change with their move into the probes document
        assertThat(SudoCommands.EXACT).isEqualTo(Map.of(
                "exact-date-set", "date -s @1700000000",
                "exact-timedatectl-set", "timedatectl set-time '2023-11-14 22:13:20'",
                "exact-hwclock", "hwclock --hctosys",
                "exact-shutdown", "shutdown -h now",
                "exact-halt", "halt",
                "exact-poweroff", "poweroff"));
        assertThat(List.copyOf(SudoCommands.EXACT.keySet())).containsExactly("exact-date-set", "exact-timedatectl-set",
                "exact-hwclock", "exact-shutdown", "exact-halt", "exact-poweroff");
    }

    private static Path write(Path dir, String json) throws Exception {
        Path f = dir.resolve("probes.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void a_user_file_with_its_own_ids_is_read(@TempDir Path dir) throws Exception {
        ProbeDocument d = ProbeDocument.readUserFile(write(dir, """
                {"version": 1, "paths": [{"id": "calibration", "requirement": "ACME-FS-001", "title": "calibration data is readable",
                  "path": "/opt/acme/calibration.bin", "kind": "file", "owner": "root", "modeForbids": "0022", "access": ["read"]}],
                 "sudo": [{"id": "camera-reset", "requirement": "ACME-PRIV-001", "command": ["/opt/acme/bin/camera", "--reset"]}]}
                """));
        assertThat(d.paths().get(0).modeForbids()).isEqualTo(0022);
        assertThat(d.sudo().get(0).line()).isEqualTo("/opt/acme/bin/camera --reset");
    }

    @Test
    void a_user_file_may_not_use_catalog_ids(@TempDir Path dir) throws Exception {
        Path f = write(dir, """
                {"version": 1, "paths": [{"id": "x", "requirement": "SIG-FS-001", "path": "/opt/x", "kind": "file"}]}""");
        assertThatThrownBy(() -> ProbeDocument.readUserFile(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("probes file " + f + ": ").hasMessageContaining("'SIG-FS-001' is not a user requirement ID");
    }

    @Test
    void a_user_probe_must_name_its_requirement_and_not_reuse_a_catalog_probe_id(@TempDir Path dir) throws Exception {
        Path f = write(dir, """
                {"version": 1, "paths": [{"id": "inbox", "path": "/opt/x", "kind": "file"}]}""");
        assertThatThrownBy(() -> ProbeDocument.readUserFile(f)).hasMessageContaining("the catalog's probes use that id")
                .hasMessageContaining("names no requirement");
    }

    @Test
    void an_invalid_file_is_refused_naming_the_file_and_the_pointer(@TempDir Path dir) throws Exception {
        Path f = write(dir, """
                {"version": 1, "paths": [{"id": "x", "requirement": "ACME-FS-001", "path": "opt/../x", "kind": "file"}]}""");
        assertThatThrownBy(() -> ProbeDocument.readUserFile(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("probes file " + f + " is not a valid probes.v1 document: ")
                .hasMessageContaining("/paths/0/path");
        assertThatThrownBy(() -> ProbeDocument.readUserFile(dir.resolve("absent.json")))
                .hasMessage("cannot read probes file " + dir.resolve("absent.json") + ": no such file");
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void the_facts_of_a_real_run_are_a_valid_facts_v1_document(List<String> shell) throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "the probe reads /proc and /sys");
        // GIVEN the catalog's probe run by a real shell of this machine
        PayloadFacts f = PayloadFacts.of(LocalShell.run(shell, FactsProbe.script("abc1234567890def", "sigkit")));
        // WHEN its facts are written as a document
        ValidationReport report = FactsDocument.validate(FactsDocument.of(f));
        // THEN the document is valid facts.v1 and holds every probe of the catalog's document
        assertThat(report.errors()).as(report.describe()).isEmpty();
        assertThat(f.paths()).extracting(PathFacts::id).containsExactly("payload-exec", "signaling", "inbox", "window-configs");
        assertThat(f.sudoAnswers()).hasSize(ProbeDocument.catalog().sudo().size());
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void paths_and_command_words_of_a_probes_document_never_become_shell_code(List<String> shell, @TempDir Path dir)
            throws Exception {
        // GIVEN a user's probes naming a directory and a sudo command whose names are shell code
        Path hostile = Files.createDirectory(dir.resolve("d'; touch pwned1; echo '$(touch pwned2)`touch pwned3`"));
        String json = """
                {"version": 1,
                 "paths": [{"id": "hostile", "requirement": "ACME-FS-001", "path": %s, "kind": "directory",
                            "access": ["create-entry"], "mount": true}],
                 "sudo": [{"id": "hostile-sudo", "requirement": "ACME-PRIV-001", "command": ["date; touch pwned4", "$(touch pwned5)"]}]}
                """.formatted(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(hostile.toString()));
        ProbeDocument user = ProbeDocument.parse(json, "hostile.json");
        List<ProbeDocument> docs = List.of(ProbeDocument.catalog(), user);
        // WHEN the probe generated from it runs in that directory's parent
        RemoteScript script = FactsProbe.script("abc1234567890def", "sigkit", docs);
        PayloadFacts f = PayloadFacts.of(LocalShell.runIn(shell, script, dir), docs);
        // THEN no command of the names ran, and the directory was probed as data
        try (Stream<Path> entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("pwned"));
        }
        PathFacts p = f.path("hostile");
        assertThat(p.path()).isEqualTo(hostile.toString());
        assertThat(p.targetStat()).hasValueSatisfying(s -> assertThat(s.isDirectory()).isTrue());
        assertThat(p.createEntry().result()).isEqualTo(PathFacts.CreateResult.OK);
        assertThat(f.sudo("hostile-sudo").command()).containsExactly("date; touch pwned4", "$(touch pwned5)");
        assertThat(f.sudo("hostile-sudo").allowed()).isFalse();
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void a_fifo_or_a_device_is_stat_ed_and_never_read(List<String> shell, @TempDir Path dir) throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "mkfifo and /dev/zero");
        // GIVEN probes asking for the SHA-256 and #! line of a FIFO nobody writes and of /dev/zero
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        ProbeDocument user = ProbeDocument.parse("""
                {"version": 1, "paths": [
                  {"id": "fifo", "requirement": "ACME-FS-001", "path": "%s", "kind": "file", "sha256": true, "shebang": true},
                  {"id": "zero", "requirement": "ACME-FS-002", "path": "/dev/zero", "kind": "file", "sha256": true, "shebang": true}]}
                """.formatted(fifo), "devices.json");
        List<ProbeDocument> docs = List.of(ProbeDocument.catalog(), user);
        // WHEN the probe runs (a read of either would block or never end: the test's timeout stops it)
        PayloadFacts f = PayloadFacts.of(LocalShell.run(shell, FactsProbe.script("abc1234567890def", "sigkit", docs)), docs);
        // THEN both are seen for what they are, unread
        assertThat(f.path("fifo").targetStat()).hasValueSatisfying(s -> assertThat(s.type()).isEqualTo("fifo"));
        assertThat(f.path("zero").targetStat()).hasValueSatisfying(s -> assertThat(s.type()).contains("character special"));
        assertThat(f.path("zero").sha256()).isEmpty();
        assertThat(f.path("zero").shebang().head()).isEmpty();
    }
}
