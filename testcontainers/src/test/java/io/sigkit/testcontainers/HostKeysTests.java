package io.sigkit.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HostKeysTests {

    @Test
    void well_formed_key_lines_become_known_hosts_lines_for_the_published_port() {
        // GIVEN the container's host_keys.pub with an ed25519 and an ECDSA key
        String pub = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHc0bXlrZXlrZXlrZXlrZXlrZXlrZXlrZXlrZXlr\n"
                + "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTY=\n";
        // WHEN they become known_hosts lines for 127.0.0.1:40001
        // THEN each names the host and port in brackets
        assertThat(HostKeys.knownHostsLines(pub, "127.0.0.1", 40001)).containsExactly(
                "[127.0.0.1]:40001 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHc0bXlrZXlrZXlrZXlrZXlrZXlrZXlrZXlrZXlr",
                "[127.0.0.1]:40001 ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTY=");
    }

    @Test
    void lines_that_are_not_keys_are_dropped_so_the_payload_cannot_add_hosts_or_options() {
        // GIVEN a host_keys.pub the payload filled with a marker line, a second host and an options prefix
        String pub = "@cert-authority * ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHc0bXlrZXlrZXlrZXlr\n"
                + "evil.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHc0bXlrZXlrZXlrZXlr\n"
                + "ssh-ed25519 AAAA$(reboot)\n"
                + "\u001b[2Jgarbage\n";
        // WHEN they are turned into known_hosts lines, THEN none is kept
        assertThat(HostKeys.knownHostsLines(pub, "127.0.0.1", 40001)).isEmpty();
    }
}
