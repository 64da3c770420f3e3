package io.sigkit.testbed;

import java.util.Arrays;
import java.util.Locale;

/** The SSH server a testbed payload runs. */
public enum SshServerKind {
    /** OpenSSH's sshd with its own configuration; SFTP through {@code Subsystem sftp} unless disabled. */
    OPENSSH,
    /** Dropbear; SFTP only through {@code /usr/lib/sftp-server}, hidden when SFTP is disabled. */
    DROPBEAR;

    /** The value of {@code payload-sandbox up --server}. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The server named by an option value such as {@code dropbear}; fails naming the value when there is none. */
    public static SshServerKind fromOptionValue(String value) {
        return Arrays.stream(values())
                .filter(kind -> kind.optionValue().equals(value))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown SSH server '" + value + "' (expected openssh or dropbear)"));
    }
}
