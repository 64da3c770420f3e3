package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrivilegeChecksTests {
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
