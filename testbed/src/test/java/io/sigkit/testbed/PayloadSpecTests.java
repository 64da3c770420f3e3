package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PayloadSpecTests {

    @Test
    void the_reference_needs_no_options() {
        PayloadSpec reference = PayloadSpec.reference();

        assertThat(reference.shell()).isEqualTo(LoginShell.BASH);
        assertThat(reference.server()).isEqualTo(SshServerKind.OPENSSH);
        assertThat(reference.sftp()).isTrue();
        assertThat(reference.sudo()).isEqualTo(SudoMode.PASSWORDLESS);
        assertThat(reference.user()).isEqualTo("sigapi");
        assertThat(reference.upOptions()).isEmpty();
    }

    @Test
    void each_change_gives_a_new_spec_and_its_option() {
        PayloadSpec reference = PayloadSpec.reference();

        PayloadSpec changed = reference.withShell(LoginShell.DASH).withServer(SshServerKind.DROPBEAR).withoutSftp()
                .withSudo(SudoMode.REQUIRETTY).withVariant("configure-exit-1").withNetns().withUser("signal")
                .withHaltOnShutdown();

        assertThat(reference).isEqualTo(PayloadSpec.reference());
        assertThat(changed.upOptions()).containsExactly("--shell", "dash", "--server", "dropbear", "--no-sftp",
                "--sudo-requiretty", "--variant", "configure-exit-1", "--netns", "--user", "signal",
                "--halt-on-shutdown");
        assertThat(reference.withSudo(SudoMode.NONE).upOptions()).containsExactly("--no-sudo");
        assertThat(reference.withSudo(SudoMode.PASSWORD).upOptions()).containsExactly("--sudo-password");
        assertThat(reference.withPayloadExec(Path.of("/tmp/pe")).upOptions())
                .containsExactly("--payload-exec", "/tmp/pe");
    }

    @Test
    void bad_names_are_refused_naming_them() {
        assertThatThrownBy(() -> PayloadSpec.reference().withVariant("../etc"))
                .hasMessageContaining("'../etc'");
        assertThatThrownBy(() -> PayloadSpec.reference().withUser("Root Admin"))
                .hasMessageContaining("'Root Admin'");
        assertThatThrownBy(() -> LoginShell.fromOptionValue("zsh")).hasMessageContaining("'zsh'");
        assertThatThrownBy(() -> SshServerKind.fromOptionValue("tinyssh")).hasMessageContaining("'tinyssh'");
    }
}
