package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.probe.IncompleteOutputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SIG-PRIV-001/002 evaluated in a context over canned facts: every FAIL and ERROR branch, without a payload. */
class PrivilegeCheckBranchesTests {

    private static CannedPayload payload(java.util.function.UnaryOperator<CannedFacts> change) {
        return CannedPayload.conformant().facts(change);
    }

    @Test
    void SIG_PRIV_001_fails_when_sudo_is_not_installed() {
        RequirementResult r = payload(f -> f.remove("sudo-path")).check("SIG-PRIV-001");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-PRIV-001] 'sigapi' is not root and sudo is not installed on "
                + CannedPayload.TARGET + ": it cannot alter the system clock");
        assertThat(r.actual()).isEqualTo("no sudo");
    }

    @Test
    void SIG_PRIV_001_fails_when_sudo_requires_a_tty() {
        String listing = CannedFacts.RULES.replace("use_pty", "use_pty, requiretty");
        RequirementResult r = payload(f -> f.put("sudo-list", listing + "\n")).check("SIG-PRIV-001");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("requires a TTY for 'sigapi'").contains("(requiretty)");
    }

    @Test
    void SIG_PRIV_001_fails_when_the_clock_rule_needs_a_password() {
        String listing = CannedFacts.RULES.replace("(root) NOPASSWD: /usr/bin/date -s *, /sbin/shutdown -h now",
                "(root) PASSWD: /usr/bin/date -s *\n    (root) NOPASSWD: /sbin/shutdown -h now");
        RequirementResult r = payload(f -> f.put("sudo-list", listing + "\n")).check("SIG-PRIV-001");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("only with a password, which the bus cannot give");
        assertThat(r.actual()).isEqualTo("PASSWD rule");
    }

    @Test
    void SIG_PRIV_001_fails_when_sudo_asks_for_a_password() {
        RequirementResult r = payload(f -> f
                .put("sudo-allows-exact-date-set", "sudo: a password is required\nexit=1\n")).check("SIG-PRIV-001");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("sudo -n asks for a password");
        assertThat(r.actual()).isEqualTo("password required");
    }

    @Test
    void SIG_PRIV_001_fails_when_only_other_arguments_are_allowed() {
        RequirementResult r = payload(f -> f.put("sudo-allows-exact-date-set", "exit=1\n")
                .put("sudo-allows-date", "/usr/bin/date\nexit=0\n")).check("SIG-PRIV-001");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("(sudo allows date with other arguments only");
        assertThat(r.actual()).isEqualTo("allowed only with other arguments");
    }

    @Test
    void SIG_PRIV_001_is_error_when_the_facts_probe_was_cut() {
        RequirementResult r = CannedPayload.conformant()
                .factsFail(new IncompleteOutputException("the facts probe: the output passed the kit's cap")).check("SIG-PRIV-001");
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void SIG_PRIV_001_passes_for_root_without_asking_sudo() {
        RequirementResult r = payload(f -> f.put("uid", "0\n").put("user", "root\n").remove("sudo-path")).check("SIG-PRIV-001");
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.message()).contains("is root (uid 0)");
    }

    @Test
    void SIG_PRIV_001_passes_and_records_the_typed_sudo_answers() {
        RequirementResult r = CannedPayload.conformant().check("SIG-PRIV-001");
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> facts = (List<Map<String, Object>>) r.evidence().get("facts");
        assertThat(facts).extracting(m -> m.get("id")).containsExactly("exact-date-set", "exact-timedatectl-set", "exact-hwclock");
        assertThat(facts.get(0)).containsEntry("allowed", true).containsEntry("command", List.of("date", "-s", "@1700000000"))
                .containsEntry("output", "/usr/bin/date -s @1700000000");
        assertThat(facts.get(1)).containsEntry("allowed", false).containsEntry("exitStatus", 1);
    }

    @Test
    void SIG_PRIV_002_fails_when_sudo_is_not_installed() {
        RequirementResult r = payload(f -> f.remove("sudo-path")).check("SIG-PRIV-002");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("it cannot halt or shut down the payload");
    }

    @Test
    void SIG_PRIV_002_fails_when_shutdown_requires_a_tty() {
        String listing = CannedFacts.RULES + "\nDefaults!/sbin/shutdown requiretty";
        RequirementResult r = payload(f -> f.put("sudo-list", listing + "\n")).check("SIG-PRIV-002");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("requires a TTY for 'sigapi' to run `shutdown -h now`");
    }

    @Test
    void SIG_PRIV_002_fails_when_no_rule_allows_a_power_command() {
        RequirementResult r = payload(f -> f.put("sudo-allows-exact-shutdown", "exit=1\n")).check("SIG-PRIV-002");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-PRIV-002] no sudo rule on " + CannedPayload.TARGET
                + " lets 'sigapi' run any of `shutdown -h now`, `halt`, `poweroff`");
        assertThat(r.actual()).isEqualTo("not allowed");
    }

    @Test
    void SIG_PRIV_002_fails_when_the_power_rule_needs_a_password() {
        String listing = CannedFacts.RULES.replace("(root) NOPASSWD: /usr/bin/date -s *, /sbin/shutdown -h now",
                "(root) NOPASSWD: /usr/bin/date -s *\n    (root) PASSWD: /sbin/shutdown -h now");
        RequirementResult r = payload(f -> f.put("sudo-list", listing + "\n")).check("SIG-PRIV-002");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.actual()).isEqualTo("PASSWD rule");
    }
}
