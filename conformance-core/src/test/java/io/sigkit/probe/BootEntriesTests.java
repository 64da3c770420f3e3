package io.sigkit.probe;

import static io.sigkit.probe.SectionsTests.NONCE;
import static io.sigkit.probe.SectionsTests.hex;
import static io.sigkit.probe.SectionsTests.section;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** SIG-DLV-002's listing of boot entries: names stay data, and only the kinds the script writes count. */
class BootEntriesTests {

    static Stream<List<String>> shells() {
        return LocalShell.available().stream();
    }

    @Test
    void entries_are_read_as_nul_separated_records_of_the_scripts_own_kinds() {
        // GIVEN a listing with entries of several kinds, a name holding a newline and $(...), and an unknown kind
        String entries = "SYSTEMD_UNIT /etc/systemd/system/oort-agent.service\0"
                + "SYSV_START_LINK /etc/rc2.d/S01oort\nagent$(reboot)\0"
                + "REBOOT_NOW /etc/oort\0"
                + "SYSV_SCRIPT_NOT_EXECUTABLE /etc/init.d/oort-agent\0";
        Sections s = Sections.parse(hex(section("init", "systemd\n") + section("entries", entries) + section(".end", "\n")),
                NONCE, java.util.Map.of());

        // WHEN they are read
        BootEntries boot = BootEntries.of(s);

        // THEN the known kinds are kept with their names as data; the start link starts the agent at boot
        assertThat(boot.init()).isEqualTo("systemd");
        assertThat(boot.entries()).extracting(BootEntries.Entry::kind).containsExactly(BootEntries.Kind.SYSTEMD_UNIT,
                BootEntries.Kind.SYSV_START_LINK, BootEntries.Kind.SYSV_SCRIPT_NOT_EXECUTABLE);
        assertThat(boot.entries().get(1).path()).isEqualTo("/etc/rc2.d/S01oort\nagent$(reboot)");
        assertThat(boot.startingAtBoot()).extracting(BootEntries.Entry::kind)
                .containsExactly(BootEntries.Kind.SYSV_START_LINK);
        assertThat(boot.ofKind(BootEntries.Kind.SYSTEMD_UNIT)).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("shells")
    void the_script_runs_to_its_end_under_every_shell(List<String> shell) throws Exception {
        // GIVEN this machine as the payload (whatever it has named oort)
        // WHEN the listing script runs under a real shell
        RemoteScript.Output out = LocalShell.run(shell, BootEntries.script());

        // THEN its output is whole and reads as entries of known kinds only
        assertThat(out.problem()).as("%s: %s", shell, out.exec()).isNull();
        BootEntries boot = BootEntries.of(out.require());
        assertThat(boot.init()).isNotEmpty();
        assertThat(boot.entries()).allSatisfy(e -> assertThat(e.path()).containsIgnoringCase("oort"));
    }
}
