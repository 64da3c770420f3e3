package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.testbed.junit.RequiresTestbed;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SFTP subsystem is there by default and really absent with withoutSftp(), for both servers. */
@RequiresTestbed
class SftpTests {

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0}")
    @EnumSource(SshServerKind.class)
    void sftp_works_by_default(SshServerKind server) {
        // GIVEN a payload with the default SFTP
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withServer(server))) {
            // WHEN a batch lists /signaling over SFTP
            CommandResult sftp = OpenSsh.sftp(payload, "ls /signaling\n", work);

            // THEN it works
            assertThat(sftp.exitStatus()).as("sftp exit status; stderr: %s", sftp.stderr()).isZero();
            assertThat(sftp.stdout()).contains("inbox", "window_configs");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SshServerKind.class)
    void without_sftp_the_subsystem_is_refused_but_exec_works(SshServerKind server) {
        // GIVEN a payload without SFTP
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withServer(server).withoutSftp())) {
            // WHEN an SFTP session is tried
            CommandResult sftp = OpenSsh.sftp(payload, "ls /signaling\n", work);

            // THEN it fails, while plain exec works
            assertThat(sftp.exitStatus()).as("sftp exit status; stdout: %s", sftp.stdout()).isNotZero();
            if (server == SshServerKind.OPENSSH) {
                assertThat(sftp.stderr()).contains("subsystem request failed");
            }
            assertThat(OpenSsh.ssh(payload, "true").exitStatus()).isZero();
        }
    }
}
