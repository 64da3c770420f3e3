package io.sigkit.transport;

/** How the kit decides whether to trust the host key an SSH server presents. */
public enum HostKeyPolicy {
    /** Trust only a key listed for the host in the known_hosts file; reject an unknown or changed key (the default). */
    STRICT,
    /** Trust on first use: an unknown key is written to the known_hosts file and trusted; a changed key is still rejected. */
    ACCEPT_NEW,
    /** Accept any key without checking; only when a user explicitly asks for it. */
    IGNORE
}
