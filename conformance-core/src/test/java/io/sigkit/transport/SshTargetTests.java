package io.sigkit.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SshTargetTests {

    @Test
    void parses_url_form_with_port() {
        // WHEN
        SshTarget t = SshTarget.parse("ssh://sigapi@127.0.0.1:2201");
        // THEN
        assertThat(t).isEqualTo(new SshTarget("sigapi", "127.0.0.1", 2201));
        assertThat(t.toString()).isEqualTo("ssh://sigapi@127.0.0.1:2201");
        assertThat(t.address()).isEqualTo("127.0.0.1:2201");
        assertThat(t.login()).isEqualTo("sigapi@127.0.0.1:2201");
    }

    @Test
    void parses_short_form_and_defaults_port_to22() {
        // WHEN
        SshTarget t = SshTarget.parse("john@payload.example");
        // THEN
        assertThat(t).isEqualTo(new SshTarget("john", "payload.example", 22));
        assertThat(t.toString()).isEqualTo("ssh://john@payload.example:22");
    }

    @Test
    void parses_bracketed_ipv6() {
        // WHEN
        SshTarget t = SshTarget.parse("ssh://u@[::1]:2222");
        // THEN
        assertThat(t.host()).isEqualTo("::1");
        assertThat(t.port()).isEqualTo(2222);
        assertThat(t.toString()).isEqualTo("ssh://u@[::1]:2222");
        assertThat(SshTarget.parse(t.toString())).isEqualTo(t);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "127.0.0.1", "@host", "user@", "user@host:0", "user@host:70000", "user@host:x",
        "http://user@host", "ssh://user@host:22/path", "us er@host", "user@ho st", "ssh://a@b@c"})
    void rejects_malformed_targets_naming_the_input(String text) {
        // WHEN / THEN
        assertThatThrownBy(() -> SshTarget.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void rejects_null() {
        assertThatThrownBy(() -> SshTarget.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ssh://user@host[:port]");
    }
}
