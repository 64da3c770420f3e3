package io.sigkit.testbed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The payload a test needs from the testbed: login shell, SSH server, SFTP, sudo, payload_exec or broken variant,
 * own network link and user. Immutable; start from {@link #reference()} and change one thing at a time:
 * {@code PayloadSpec.reference().withShell(LoginShell.DASH).withoutSftp()}.
 *
 * <p>A variant's own {@code upOptions} (variants.json) apply, except where this spec asks for something other than
 * the default: then this spec wins, as an explicit option of {@code payload-sandbox up} does.
 *
 * @param shell          the signaling user's login shell
 * @param server         the SSH server
 * @param sftp           whether the server offers the SFTP subsystem
 * @param sudo           the signaling user's sudo rights
 * @param variant        the broken variant to install (testbed/payloads/variants/NAME), if any
 * @param payloadExec    a payload_exec file to install instead of the reference one, if any
 * @param netns          whether the payload gets its own network link (needed for link down/up)
 * @param user           the signaling user
 * @param haltOnShutdown whether shutdown, halt and poweroff inside stop the instance (after being recorded)
 */
public record PayloadSpec(
        LoginShell shell,
        SshServerKind server,
        boolean sftp,
        SudoMode sudo,
        Optional<String> variant,
        Optional<Path> payloadExec,
        boolean netns,
        String user,
        boolean haltOnShutdown) {

    /** The signaling user of the reference payload. */
    public static final String DEFAULT_USER = "sigapi";

    private static final Pattern VARIANT_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern USER_NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    /** Validates every field. */
    public PayloadSpec {
        Objects.requireNonNull(shell, "shell");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(sudo, "sudo");
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(payloadExec, "payloadExec");
        Objects.requireNonNull(user, "user");
        variant.ifPresent(name -> {
            if (!VARIANT_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("variant name '" + name + "' is not kebab-case");
            }
        });
        if (!USER_NAME.matcher(user).matches()) {
            throw new IllegalArgumentException("user '" + user + "' is not a valid Linux user name");
        }
    }

    /** OpenSSH, bash, SFTP, passwordless sudo, user {@value #DEFAULT_USER}, the reference payload_exec. */
    public static PayloadSpec reference() {
        return new PayloadSpec(LoginShell.BASH, SshServerKind.OPENSSH, true, SudoMode.PASSWORDLESS,
                Optional.empty(), Optional.empty(), false, DEFAULT_USER, false);
    }

    /** This spec with another login shell. */
    public PayloadSpec withShell(LoginShell newShell) {
        return new PayloadSpec(newShell, server, sftp, sudo, variant, payloadExec, netns, user, haltOnShutdown);
    }

    /** This spec with another SSH server. */
    public PayloadSpec withServer(SshServerKind newServer) {
        return new PayloadSpec(shell, newServer, sftp, sudo, variant, payloadExec, netns, user, haltOnShutdown);
    }

    /** This spec without the SFTP subsystem. */
    public PayloadSpec withoutSftp() {
        return new PayloadSpec(shell, server, false, sudo, variant, payloadExec, netns, user, haltOnShutdown);
    }

    /** This spec with other sudo rights. */
    public PayloadSpec withSudo(SudoMode newSudo) {
        return new PayloadSpec(shell, server, sftp, newSudo, variant, payloadExec, netns, user, haltOnShutdown);
    }

    /** This spec with a broken variant (its payload_exec and setup.sh); excludes {@link #withPayloadExec(Path)}. */
    public PayloadSpec withVariant(String name) {
        Objects.requireNonNull(name, "name");
        return new PayloadSpec(shell, server, sftp, sudo, Optional.of(name), payloadExec, netns, user, haltOnShutdown);
    }

    /** This spec with a payload_exec file of the caller's instead of the reference one. */
    public PayloadSpec withPayloadExec(Path file) {
        Objects.requireNonNull(file, "file");
        return new PayloadSpec(shell, server, sftp, sudo, variant, Optional.of(file.toAbsolutePath()), netns, user,
                haltOnShutdown);
    }

    /** This spec with the payload on its own network link, which {@link RunningPayload#linkDown()} can cut. */
    public PayloadSpec withNetns() {
        return new PayloadSpec(shell, server, sftp, sudo, variant, payloadExec, true, user, haltOnShutdown);
    }

    /** This spec with another signaling user. */
    public PayloadSpec withUser(String name) {
        return new PayloadSpec(shell, server, sftp, sudo, variant, payloadExec, netns, name, haltOnShutdown);
    }

    /** This spec where shutdown, halt and poweroff stop the instance a second after being recorded. */
    public PayloadSpec withHaltOnShutdown() {
        return new PayloadSpec(shell, server, sftp, sudo, variant, payloadExec, netns, user, true);
    }

    /** The {@code payload-sandbox up} options this spec stands for (all but --name and --port). */
    public List<String> upOptions() {
        List<String> options = new ArrayList<>();
        if (shell != LoginShell.BASH) {
            options.add("--shell");
            options.add(shell.optionValue());
        }
        if (server != SshServerKind.OPENSSH) {
            options.add("--server");
            options.add(server.optionValue());
        }
        if (!sftp) {
            options.add("--no-sftp");
        }
        if (sudo != SudoMode.PASSWORDLESS) {
            options.add(sudo.option());
        }
        variant.ifPresent(name -> {
            options.add("--variant");
            options.add(name);
        });
        payloadExec.ifPresent(file -> {
            options.add("--payload-exec");
            options.add(file.toString());
        });
        if (netns) {
            options.add("--netns");
        }
        if (!user.equals(DEFAULT_USER)) {
            options.add("--user");
            options.add(user);
        }
        if (haltOnShutdown) {
            options.add("--halt-on-shutdown");
        }
        return List.copyOf(options);
    }
}
