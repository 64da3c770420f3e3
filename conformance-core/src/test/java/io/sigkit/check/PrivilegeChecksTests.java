package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.probe.PayloadFacts;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrivilegeChecksTests {
    private static final RequirementCatalog CATALOG = RequirementCatalog.load();

    /** What an integrator writes: the bus's exact commands, with their arguments. */
    static final String ARGUMENT_RULES = """
            Matching Defaults entries for sigapi on payload:
                env_reset, mail_badpass, secure_path=/usr/local/sbin\\:/usr/local/bin\\:/usr/sbin\\:/usr/bin\\:/sbin\\:/bin, use_pty

            User sigapi may run the following commands on payload:
                (root) NOPASSWD: /usr/bin/date -s *, /sbin/shutdown -h now
            exit=0""";

    private static RequirementResult decide(String id, PayloadFacts f) {
        return id.equals("SIG-PRIV-001")
                ? PrivilegeChecks.privilege(RequirementResult.of(CATALOG.get(id)), f, "sigapi@payload", "alter the system clock",
                PrivilegeChecks.CLOCK)
                : PrivilegeChecks.privilege(RequirementResult.of(CATALOG.get(id)), f, "sigapi@payload",
                "halt or shut down the payload", PrivilegeChecks.POWER);
    }

    /** Facts with sudo present, the listing, and every exact and bare command refused unless set afterwards. */
    private static CannedFacts sudo(String listing) {
        CannedFacts c = CannedFacts.of().put("sudo-path", "/usr/bin/sudo\n").put("sudo-list", listing + "\n");
        for (String key : List.of("date", "timedatectl", "hwclock", "shutdown", "halt", "poweroff", "exact-date-set",
                "exact-timedatectl-set", "exact-hwclock", "exact-shutdown", "exact-halt", "exact-poweroff")) {
            c.put("sudo-allows-" + key, "exit=1\n");
        }
        return c.put("sudo-run-date", "sudo: a password is required\nexit=1\n");
    }

    @Test
    void argument_restricted_rules_for_the_bus_commands_pass_both_and_name_the_rule() {
        // GIVEN sig ALL=(root) NOPASSWD: /usr/bin/date -s *, /sbin/shutdown -h now: the bare names are refused
        PayloadFacts f = sudo(ARGUMENT_RULES)
                .put("sudo-allows-exact-date-set", "/usr/bin/date -s @1700000000\nexit=0\n")
                .put("sudo-allows-exact-shutdown", "/sbin/shutdown -h now\nexit=0\n").facts();
        // WHEN both are decided
        RequirementResult clock = decide("SIG-PRIV-001", f);
        RequirementResult power = decide("SIG-PRIV-002", f);
        // THEN both pass, naming the exact command and the rule line that allows it
        assertThat(clock.outcome()).as(clock.message()).isEqualTo(Outcome.PASS);
        assertThat(clock.message()).startsWith("[SIG-PRIV-001]").contains("`date -s @1700000000`")
                .contains("(root) NOPASSWD: /usr/bin/date -s *, /sbin/shutdown -h now");
        assertThat(power.outcome()).as(power.message()).isEqualTo(Outcome.PASS);
        assertThat(power.message()).contains("`shutdown -h now`").contains("(root) NOPASSWD:");
    }

    @Test
    void a_rule_allowing_only_reads_of_the_clock_fails_priv_001() {
        // GIVEN sudo allows `date +%s` only: sudo -n date +%s works, date -s does not
        String listing = ARGUMENT_RULES.replace("/usr/bin/date -s *", "/usr/bin/date +%s");
        PayloadFacts f = sudo(listing).put("sudo-run-date", "1700000000\nexit=0\n")
                .put("sudo-allows-exact-shutdown", "/sbin/shutdown -h now\nexit=0\n").facts();
        // WHEN SIG-PRIV-001 is decided
        RequirementResult clock = decide("SIG-PRIV-001", f);
        // THEN it fails naming the commands the bus runs, not a password
        assertThat(clock.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(clock.message()).startsWith("[SIG-PRIV-001] no sudo rule").contains("`date -s @1700000000`");
        assertThat(clock.actual()).isEqualTo("not allowed");
    }

    @Test
    void a_rule_for_the_bare_name_with_a_password_tag_fails_with_the_rule_named() {
        // GIVEN the clock commands need a password (sudo -n -l date -s … still exits 0), the power ones do not
        String listing = """
                User sigapi may run the following commands on payload:
                    (root) NOPASSWD: /usr/local/sbin/shutdown
                    (root) PASSWD: /usr/local/sbin/date, /usr/local/sbin/timedatectl
                exit=0""";
        PayloadFacts f = sudo(listing)
                .put("sudo-allows-exact-date-set", "/usr/local/sbin/date -s @1700000000\nexit=0\n")
                .put("sudo-allows-exact-timedatectl-set", "/usr/local/sbin/timedatectl set-time 2023-11-14 22:13:20\nexit=0\n")
                .put("sudo-allows-exact-shutdown", "/usr/local/sbin/shutdown -h now\nexit=0\n").facts();
        // WHEN both are decided
        RequirementResult clock = decide("SIG-PRIV-001", f);
        RequirementResult power = decide("SIG-PRIV-002", f);
        // THEN the clock fails on the password, the power passes
        assertThat(clock.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(clock.message()).contains("only with a password").contains("(root) PASSWD: /usr/local/sbin/date");
        assertThat(power.outcome()).as(power.message()).isEqualTo(Outcome.PASS);
    }

    @Test
    void a_tag_carries_on_to_later_entries_of_its_line_until_another_tag() {
        String listing = "User sigapi may run the following commands on p:\n"
                + "    (root) NOPASSWD: /sbin/shutdown -h now, /usr/bin/date, PASSWD: /usr/bin/timedatectl\n";
        assertThat(PrivilegeChecks.matchingRule(listing, "/usr/bin/date -s @1").orElseThrow().password()).isFalse();
        assertThat(PrivilegeChecks.matchingRule(listing, "/usr/bin/timedatectl set-time x").orElseThrow().password()).isTrue();
        assertThat(PrivilegeChecks.matchingRule(listing, "/sbin/shutdown -r now")).isEmpty();
    }

    @Test
    void an_entry_matches_as_sudo_matches_arguments() {
        assertThat(PrivilegeChecks.entryMatches("/usr/bin/date", "/usr/bin/date", "-s @1")).as("no args: any").isTrue();
        assertThat(PrivilegeChecks.entryMatches("/usr/bin/date \"\"", "/usr/bin/date", "-s @1")).as("\"\": none").isFalse();
        assertThat(PrivilegeChecks.entryMatches("/usr/bin/date \"\"", "/usr/bin/date", "")).isTrue();
        assertThat(PrivilegeChecks.entryMatches("/usr/bin/date -s *", "/usr/bin/date", "-s @1700000000")).isTrue();
        assertThat(PrivilegeChecks.entryMatches("/usr/bin/date -s *", "/usr/bin/date", "+%s")).isFalse();
        assertThat(PrivilegeChecks.entryMatches("ALL", "/usr/bin/date", "")).isTrue();
        assertThat(PrivilegeChecks.entryMatches("/bin/date -s *", "/usr/bin/date", "-s @1")).isFalse();
    }

    @Test
    void requiretty_for_the_allowed_command_fails() {
        // GIVEN shutdown is allowed but a command-specific default demands a TTY
        PayloadFacts f = sudo(LISTING).put("sudo-allows-exact-shutdown", "/usr/local/sbin/shutdown -h now\nexit=0\n").facts();
        // WHEN SIG-PRIV-002 is decided
        RequirementResult power = decide("SIG-PRIV-002", f);
        // THEN it fails on the TTY, naming the command
        assertThat(power.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(power.message()).contains("requires a TTY").contains("`shutdown -h now`");
    }

    @Test
    void hwclock_alone_passes_with_a_warning_that_the_bus_uses_date_or_timedatectl() {
        String listing = "User sigapi may run the following commands on p:\n    (root) NOPASSWD: /sbin/hwclock\nexit=0";
        PayloadFacts f = sudo(listing).put("sudo-allows-exact-hwclock", "/sbin/hwclock --hctosys\nexit=0\n").facts();
        RequirementResult clock = decide("SIG-PRIV-001", f);
        assertThat(clock.outcome()).isEqualTo(Outcome.PASS);
        assertThat(clock.warnings()).singleElement().asString().contains("date -s @1700000000");
    }

    @Test
    void no_sudo_at_all_fails_both() {
        PayloadFacts f = CannedFacts.of().facts();
        assertThat(decide("SIG-PRIV-001", f).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(decide("SIG-PRIV-002", f).message()).contains("sudo is not installed");
    }

    @Test
    void root_passes_without_sudo() {
        PayloadFacts f = CannedFacts.of().put("uid", "0\n").put("user", "root\n").facts();
        assertThat(decide("SIG-PRIV-001", f).outcome()).isEqualTo(Outcome.PASS);
    }
    static final String LISTING = """
            Matching Defaults entries for sigapi on lead3:
                env_reset, mail_badpass, secure_path=/usr/local/sbin\\:/usr/bin, use_pty

            Runas and Command-specific defaults for sigapi:
                Defaults!/usr/local/sbin/shutdown, /usr/sbin/shutdown, /sbin/halt requiretty

            User sigapi may run the following commands on lead3:
                (root) NOPASSWD: /usr/local/sbin/shutdown, /usr/sbin/shutdown, /sbin/halt, /usr/local/sbin/date
            exit=0""";

    @Test
    void requiretty_applies_to_the_commands_a_command_specific_default_names() {
        assertThat(PrivilegeChecks.requiresTty(LISTING, "/usr/local/sbin/shutdown")).isTrue();
        assertThat(PrivilegeChecks.requiresTty(LISTING, "/usr/local/sbin/date")).isFalse();
        assertThat(PrivilegeChecks.requiresTty(LISTING, "")).isFalse();
    }

    @Test
    void requiretty_in_the_matching_defaults_applies_to_every_command() {
        String global = "Matching Defaults entries for sigapi on x:\n    env_reset, requiretty\n\nUser sigapi may run:\n";
        assertThat(PrivilegeChecks.requiresTty(global, "/usr/bin/date")).isTrue();
        assertThat(PrivilegeChecks.requiresTty(global.replace("requiretty", "!requiretty"), "/usr/bin/date")).isFalse();
    }

    @Test
    void the_resolved_path_is_the_first_line_of_sudo_l_command() {
        assertThat(PrivilegeChecks.resolvedPath("/usr/local/sbin/date\nexit=0")).isEqualTo("/usr/local/sbin/date");
        assertThat(PrivilegeChecks.resolvedPath("sudo: a password is required\nexit=1")).isEmpty();
    }
}
