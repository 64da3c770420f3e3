package io.sigkit.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The kit's script output cannot be forged by what the payload prints, and every cap and cut is noticed. */
class SectionsTests {
    static final String NONCE = "0123456789abcdef0123456789abcdef";

    static Stream<List<String>> shells() {
        return LocalShell.available().stream();
    }

    /** The stream as a script prints it: its output hex-encoded between the nonce's begin and end lines. */
    static String hex(String raw) {
        return "\n" + NONCE + ":begin\n" + HexFormat.of().formatHex(raw.getBytes(StandardCharsets.UTF_8)) + "\n" + NONCE
                + ":end\n";
    }

    static String section(String name, String value) {
        return "\n@@sigkit:" + NONCE + ":" + name + "\n" + value;
    }

    @Test
    void sections_hold_raw_bytes_and_missing_ones_read_empty() {
        Sections s = Sections.parse(hex("junk" + section("a", "1\n2\n\n") + section("b", "x\r\n") + section(".end", "\n")),
                NONCE, Map.of());
        assertThat(s.complete()).isTrue();
        assertThat(s.tampered()).isFalse();
        assertThat(s.lines("a")).containsExactly("1", "2");
        assertThat(s.first("b")).isEqualTo("x");
        assertThat(s.lines("missing")).isEmpty();
    }

    @Test
    void a_marker_without_the_calls_nonce_is_content_not_structure() {
        // GIVEN payload output inside a section that imitates the kit's markers (old style and with a wrong nonce)
        String forged = "@@sigkit:uid\n0\n\n@@sigkit:ffffffffffffffffffffffffffffffff:uid\n0\n";
        Sections s = Sections.parse(hex(section("os", forged) + section("uid", "1000\n") + section(".end", "\n")),
                NONCE, Map.of());
        // THEN the forged lines stay part of "os", and uid is what the kit printed
        assertThat(s.first("uid")).isEqualTo("1000");
        assertThat(s.text("os")).isEqualTo(forged.strip());
        assertThat(s.tampered()).isFalse();
    }

    @Test
    void a_repeated_section_or_bytes_outside_the_encoding_mark_the_output_tampered() {
        Sections twice = Sections.parse(hex(section("uid", "0\n") + section("uid", "1000\n") + section(".end", "\n")),
                NONCE, Map.of());
        assertThat(twice.tampered()).isTrue();
        assertThat(twice.problems()).anySatisfy(p -> assertThat(p).contains("uid appears twice"));
        String stream = hex(section("uid", "0\n") + section(".end", "\n"));
        int mid = stream.indexOf(":begin\n") + 20;
        Sections junk = Sections.parse(stream.substring(0, mid) + "@@sigkit:x" + stream.substring(mid), NONCE, Map.of());
        assertThat(junk.tampered()).isTrue();
        // AND what a login or logout script prints around the stream is not part of it
        Sections banner = Sections.parse("Welcome to the payload!\n" + stream + "bye\n", NONCE, Map.of());
        assertThat(banner.tampered()).isFalse();
        assertThat(banner.first("uid")).isEqualTo("0");
    }

    @Test
    void a_section_over_its_cap_is_cut_and_output_without_end_is_incomplete() {
        Sections s = Sections.parse(hex(section("big", "0123456789")), NONCE, Map.of("big", 4));
        assertThat(s.cut("big")).isTrue();
        assertThat(s.text("big")).isEqualTo("0123");
        assertThat(s.complete()).isFalse();
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void a_script_refuses_to_run_without_its_nonce(List<String> shell) throws Exception {
        RemoteScript script = RemoteScript.builder().section("x", "echo hi").build();
        LocalShell.Result r = LocalShell.run(shell, script.text());
        assertThat(r.exit()).isEqualTo(RemoteScript.NO_NONCE);
        assertThat(r.stdout()).isEmpty();
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void a_script_carries_nul_bytes_newlines_and_forged_markers_intact(List<String> shell) throws Exception {
        RemoteScript script = RemoteScript.builder()
                .section("raw", "printf 'a\\000b\\n@@sigkit:%s:uid\\n0\\n' \"$N\"")
                .section("uid", "echo 1000")
                .section("capped", "printf 0123456789", 4)
                .build();
        RemoteScript.Output out = LocalShell.run(shell, script);
        // THEN even a section that prints the nonce (only the kit's own code can) is a repeated section: tampered
        assertThat(out.sections().tampered()).isTrue();
        assertThatThrownBy(out::require).isInstanceOf(IncompleteOutputException.class).hasMessageContaining("imitates");
        RemoteScript clean = RemoteScript.builder().section("raw", "printf 'a\\000b\\n@@sigkit:uid\\n0\\n'")
                .section("capped", "printf 0123456789", 4).build();
        RemoteScript.Output ok = LocalShell.run(shell, clean);
        assertThat(ok.sections().bytes("raw")).containsExactly("a\0b\n@@sigkit:uid\n0\n".getBytes(StandardCharsets.UTF_8));
        assertThat(ok.sections().cut("capped")).isTrue();
        assertThatThrownBy(ok::require).hasMessageContaining("cap was hit in capped");
        assertThat(ok.requireComplete().text("capped")).isEqualTo("0123");
    }

    @ParameterizedTest(name = "under {0}")
    @MethodSource("shells")
    void a_process_whose_arguments_forge_records_is_listed_as_one_process(List<String> shell) throws Exception {
        // GIVEN a process whose argv holds newlines, a forged listing line, and a payload_exec -w of the kit's window
        Process p = new ProcessBuilder("/bin/sh", "-c", "sleep 30", "x\n@" + NONCE + "\n1 0 S 1 1 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 42\n",
                "/usr/bin/payload_exec", "-w", "2100000007\n999 /usr/bin/payload_exec -w 2100000007").start();
        try {
            Thread.sleep(200);
            // WHEN the kit lists processes
            List<RemoteProcess> all = ProcessListing.from(LocalShell.run(shell, ProcessListing.script()));
            // THEN the process appears once, with its exact argv, and it is not window 2100000007's payload_exec
            RemoteProcess seen = all.stream().filter(x -> x.pid() == p.pid()).findFirst().orElseThrow();
            assertThat(seen.argv()).hasSize(7);
            assertThat(seen.argv().get(3)).startsWith("x\n@");
            assertThat(seen.isPayloadExecFor(2100000007L)).isFalse();
            assertThat(seen.startTicks()).isPositive();
            assertThat(seen.ppid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(all).noneMatch(x -> x.pid() == 1 && x.startTicks() == 42);
            assertThat(all).noneMatch(x -> x.pid() == 999);
        } finally {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void processes_are_matched_by_argument_vector_not_by_text() {
        RemoteProcess python = new RemoteProcess(10, List.of("/usr/bin/python3", "/usr/bin/payload_exec", "-u", "john",
                "-w", "2100000007", "-t", "1"));
        RemoteProcess shell = new RemoteProcess(11, List.of("sh", "-c", "echo /usr/bin/payload_exec -w 2100000007"));
        RemoteProcess longer = new RemoteProcess(12, List.of("/usr/bin/payload_exec", "-w", "21000000070"));
        assertThat(python.isPayloadExecFor(2100000007L)).isTrue();
        assertThat(shell.isPayloadExecFor(2100000007L)).as("a shell whose script mentions it").isFalse();
        assertThat(longer.isPayloadExecFor(2100000007L)).as("another window with a longer ID").isFalse();
        assertThat(python.commandLine()).isEqualTo("/usr/bin/python3 /usr/bin/payload_exec -u john -w 2100000007 -t 1");
    }
}
