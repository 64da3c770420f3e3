package io.sigkit.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real OpenSSH client (ssh, sftp) against a testbed payload, with strict host key checking on its known_hosts. */
final class OpenSsh {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private OpenSsh() {
    }

    /** Options every call uses: this instance's key and known_hosts only, no user config, no prompts. */
    static List<String> options(RunningPayload payload) {
        return List.of("-F", "/dev/null", "-i", payload.identity().toString(), "-o", "IdentitiesOnly=yes",
                "-o", "UserKnownHostsFile=" + payload.knownHosts(), "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10",
                "-o", "LogLevel=ERROR");
    }

    /** {@code ssh ... user@127.0.0.1 remoteCommand}, without a terminal. */
    static CommandResult ssh(RunningPayload payload, String remoteCommand) {
        return ssh(payload, remoteCommand, TIMEOUT);
    }

    static CommandResult ssh(RunningPayload payload, String remoteCommand, Duration timeout) {
        return Processes.run(command("ssh", payload, List.of("-T"), remoteCommand), timeout, "ssh " + remoteCommand);
    }

    /** {@code ssh -tt ...}: with a pseudo-terminal. */
    static CommandResult sshWithTty(RunningPayload payload, String remoteCommand) {
        return Processes.run(command("ssh", payload, List.of("-tt"), remoteCommand), TIMEOUT,
                "ssh -tt " + remoteCommand);
    }

    /** The argument list of an ssh call, for tests that run it themselves. */
    static List<String> command(String program, RunningPayload payload, List<String> extra, String remoteCommand) {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(options(payload));
        command.addAll(extra);
        command.addAll(List.of("-p", Integer.toString(payload.port()), payload.user() + "@" + payload.host()));
        command.add(remoteCommand);
        return command;
    }

    /** {@code sftp -b batch}: exits 0 only when the session opened and every batch command worked. */
    static CommandResult sftp(RunningPayload payload, String batch, Path workDir) {
        try {
            Path batchFile = Files.writeString(workDir.resolve("sftp-batch"), batch, StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>();
            command.add("sftp");
            command.addAll(options(payload));
            command.addAll(List.of("-b", batchFile.toString(), "-P", Integer.toString(payload.port()),
                    payload.user() + "@" + payload.host()));
            return Processes.run(command, TIMEOUT, "sftp -b");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
