package io.sigkit.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What sigkit's ssh config resolver refuses or adds beyond {@code ssh -G}'s view ({@link SshConfigParityTests}): one
 * clear line naming the file and line for what it cannot honour, and where each value came from.
 */
class SshConfigTests {

    @TempDir
    Path dir;

    private Path config(String text) throws IOException {
        Path p = dir.resolve("config");
        Files.writeString(p, text);
        return p;
    }

    private ConnectionSettings.Builder builder(String destination, Path config) {
        return ConnectionSettings.builder(SshDestination.parse(destination)).sshConfig(config)
                .localAccount(dir, "operator");
    }

    @Test
    void match_exec_is_refused_naming_the_line() throws IOException {
        Path c = config("Host a\n  Port 1\nMatch exec \"true\"\n  User x\n");
        assertThatThrownBy(() -> builder("a", c).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ssh config " + c + ":3: Match exec is not supported by sigkit (it runs no local command and"
                        + " reads no local interface)");
    }

    @Test
    void proxy_command_is_refused_and_proxy_jump_is_the_way() throws IOException {
        Path c = config("Host a\n  ProxyCommand nc %h %p\n");
        assertThatThrownBy(() -> builder("a", c).build()).hasMessage("ProxyCommand for a (" + c + ":2) is not supported"
                + " by sigkit: use ProxyJump");
    }

    @Test
    void a_bad_port_or_a_bad_quote_names_the_file_and_line() throws IOException {
        Path badPort = config("Host a\n  Port twentytwo\n");
        assertThatThrownBy(() -> builder("a", badPort).build())
                .hasMessage("invalid port 'twentytwo' in ssh config " + badPort + ":2");
        Path quote = config("Host a\n  User \"open\n");
        assertThatThrownBy(() -> builder("a", quote).build()).hasMessage("ssh config " + quote + ":2: unterminated quote");
    }

    @Test
    void an_include_loop_ends_with_a_message_not_a_stack_overflow() throws IOException {
        Path c = dir.resolve("loop");
        Files.writeString(c, "Include " + c + "\n");
        assertThatThrownBy(() -> builder("a", c).build()).hasMessageContaining("Include nested more than 16 deep");
    }

    @Test
    void a_proxy_jump_loop_ends_with_a_message() throws IOException {
        Path c = config("Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n");
        assertThatThrownBy(() -> builder("a", c).build()).hasMessageContaining("longer than 8 hops (a loop?)");
    }

    @Test
    void each_value_says_where_it_came_from() throws IOException {
        // GIVEN a user and key from the config, a flag key, and a bastion without User
        Path c = config("Host a\n  HostName 10.0.0.1\n  User sig\n  IdentityFile ~/k1\n  ProxyJump jb\n"
                + "Host jb\n  HostName 10.0.0.2\n  StrictHostKeyChecking accept-new\n  ServerAliveInterval 2\n");
        Route r = builder("a", c).identity(Path.of("/flag/key")).build().route();
        Hop target = r.target();
        Hop bastion = r.jumps().get(0);
        // THEN
        assertThat(target.userSource()).isEqualTo("ssh config " + c + ":3");
        assertThat(target.identities()).extracting(Hop.Identity::file, Hop.Identity::source).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Path.of("/flag/key"), "--identity"),
                org.assertj.core.groups.Tuple.tuple(dir.resolve("k1"), "ssh config " + c + ":4"));
        assertThat(bastion.user()).isEqualTo("operator");
        assertThat(bastion.userSource()).isEqualTo("local user name, as ssh");
        assertThat(bastion.identities()).extracting(Hop.Identity::source)
                .startsWith("--identity").contains("OpenSSH default");
        assertThat(bastion.hostKeyPolicy()).isEqualTo(HostKeyPolicy.ACCEPT_NEW);
        assertThat(bastion.policySource()).isEqualTo("StrictHostKeyChecking accept-new (" + c + ":8)");
        assertThat(bastion.keepaliveInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(target.keepaliveInterval()).isEqualTo(RouteResolver.DEFAULT_KEEPALIVE);
        assertThat(bastion.describe()).isEqualTo("bastion 'jb' (operator@10.0.0.2:22)");
        assertThat(target.describe()).isEqualTo("the payload sig@10.0.0.1:22 (alias 'a')");
        // and flags win over the config: --accept-new-host-key, --known-hosts, --connect-timeout
        Route flagged = builder("a", c).hostKeyPolicy(HostKeyPolicy.STRICT).knownHosts(Path.of("/kh"))
                .connectTimeout(Duration.ofSeconds(4)).build().route();
        assertThat(flagged.hops()).allSatisfy(h -> {
            assertThat(h.hostKeyPolicy()).isEqualTo(HostKeyPolicy.STRICT);
            assertThat(h.knownHosts()).containsExactly(Path.of("/kh"));
            assertThat(h.connectTimeout()).isEqualTo(Duration.ofSeconds(4));
        });
    }

    @Test
    void without_a_config_a_target_needs_a_user_and_no_default_key_is_read() {
        assertThatThrownBy(() -> ConnectionSettings.builder(SshDestination.parse("ssh://host")).identity(Path.of("/k"))
                .build()).hasMessage("no user in 'host': expected ssh://user@host[:port], or an --ssh-config that sets User for it");
        Route r = ConnectionSettings.builder(SshDestination.parse("u@host")).identity(Path.of("/k")).build().route();
        assertThat(r.target().identities()).extracting(Hop.Identity::file).containsExactly(Path.of("/k"));
    }
}
