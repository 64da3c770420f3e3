package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.testbed.junit.RequiresTestbed;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Each sudo mode behaves for the signaling user as a real payload configured that way would. */
@RequiresTestbed
class SudoModeTests {

    @Test
    void passwordless_sudo_works_without_terminal() {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference())) {
            CommandResult sudo = OpenSsh.ssh(payload, "sudo -n date +%s && sudo -n date -s @0");

            assertThat(sudo.exitStatus()).as("stderr: %s", sudo.stderr()).isZero();
            // the stand-in records only when it runs as root
            assertThat(payload.calls()).containsExactly("date -s @0");
        }
    }

    @Test
    void without_sudo_the_user_has_no_rule() {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withSudo(SudoMode.NONE))) {
            CommandResult sudo = OpenSsh.ssh(payload, "sudo -n true");
            CommandResult rules = payload.exec("sudo", "-l", "-U", "sigapi");

            assertThat(sudo.exitStatus()).isNotZero();
            assertThat(rules.stdout()).contains("not allowed to run sudo");
        }
    }

    @Test
    void password_sudo_refuses_non_interactive_use_but_takes_the_password() throws Exception {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withSudo(SudoMode.PASSWORD))) {
            // GIVEN the password the instance set (documented in its state directory)
            String password = Files.readString(payload.identity().resolveSibling("password")).strip();
            assertThat(password).hasSizeGreaterThanOrEqualTo(8);

            // WHEN sudo is used without a password, then with it on stdin
            CommandResult withoutPassword = OpenSsh.ssh(payload, "sudo -n date -s @0");
            CommandResult withPassword = OpenSsh.ssh(payload, "echo '" + password + "' | sudo -S -p '' date -s @1");

            // THEN only the second works (the stand-in records only when it runs as root)
            assertThat(withoutPassword.exitStatus()).isNotZero();
            assertThat(withoutPassword.stderr()).contains("a password is required");
            assertThat(withPassword.exitStatus()).as("stderr: %s", withPassword.stderr()).isZero();
            assertThat(payload.calls()).containsExactly("date -s @1");
        }
    }

    @Test
    void requiretty_sudo_works_only_with_a_terminal() {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withSudo(SudoMode.REQUIRETTY))) {
            CommandResult noTty = OpenSsh.ssh(payload, "sudo -n date +%s");
            CommandResult tty = OpenSsh.sshWithTty(payload, "sudo -n date +%s");

            assertThat(noTty.exitStatus()).isNotZero();
            assertThat(noTty.stderr()).contains("you must have a tty");
            assertThat(tty.exitStatus()).as("with -tt; output: %s %s", tty.stdout(), tty.stderr()).isZero();
        }
    }
}
