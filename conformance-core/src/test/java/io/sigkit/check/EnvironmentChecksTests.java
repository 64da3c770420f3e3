package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.probe.IncompleteOutputException;
import io.sigkit.transport.TransportException;
import io.sigkit.transport.TransportException.Kind;
import org.junit.jupiter.api.Test;

/** SIG-ENV-001..004 decided from canned observations: every FAIL and ERROR branch, without a payload. */
class EnvironmentChecksTests {

    private static RequirementResult connectFailed(String id, Kind kind, String message) {
        CheckContext ctx = CheckContext.canned(CannedPayload.options(b -> b), CannedPayload.conformant())
                .connectFailure(new TransportException(kind, message)).build();
        return CannedPayload.check(id, ctx);
    }

    // SIG-ENV-001: the payload runs Linux (no testbed instance can be anything else: the faked uname of testbed/README)

    @Test
    void SIG_ENV_001_fails_when_uname_says_another_kernel() {
        // GIVEN a payload whose uname -s prints Darwin
        CannedPayload payload = CannedPayload.conformant().facts(f -> f.put("uname-s", "Darwin\n")
                .put("uname-srm", "Darwin 23.1.0 arm64\n"));
        // WHEN SIG-ENV-001 is evaluated
        RequirementResult r = payload.check("SIG-ENV-001");
        // THEN it fails naming what uname printed
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-ENV-001] 'uname -s' on " + CannedPayload.TARGET + " printed 'Darwin' If this fails,");
        assertThat(r.expected()).isEqualTo("Linux");
        assertThat(r.actual()).isEqualTo("Darwin");
    }

    @Test
    void SIG_ENV_001_fails_when_uname_prints_nothing() {
        // GIVEN a payload whose uname -s printed nothing (a stripped-down image without uname)
        RequirementResult r = CannedPayload.conformant().facts(f -> f.remove("uname-s")).check("SIG-ENV-001");
        // THEN it is not taken for Linux
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.actual()).isEmpty();
    }

    @Test
    void SIG_ENV_001_is_error_when_the_facts_probe_output_is_incomplete() {
        // GIVEN a facts probe whose output was cut
        CannedPayload payload = CannedPayload.conformant()
                .factsFail(new IncompleteOutputException("the facts probe: no complete answer within the kit's timeout"));
        // WHEN SIG-ENV-001 is evaluated
        RequirementResult r = payload.check("SIG-ENV-001");
        // THEN it is ERROR (the kit could not evaluate it), naming why
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.message()).contains("the kit could not evaluate SIG-ENV-001").contains("no complete answer");
    }

    @Test
    void SIG_ENV_001_passes_naming_the_kernel_and_the_distribution() {
        RequirementResult r = CannedPayload.conformant().check("SIG-ENV-001");
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.message()).contains("Linux 6.1.0-13-amd64 x86_64").contains("(Debian GNU/Linux 12 (bookworm))");
    }

    // SIG-ENV-002: an SSH daemon accepts connections

    @Test
    void SIG_ENV_002_fails_when_nothing_listens_at_the_port() {
        RequirementResult r = connectFailed("SIG-ENV-002", Kind.UNREACHABLE, "connection refused by payload.test:22");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-ENV-002] no SSH daemon answered at " + CannedPayload.TARGET
                + ": connection refused by payload.test:22 If this fails, check: Is sshd");
        assertThat(r.evidence()).containsEntry("kind", "UNREACHABLE");
    }

    @Test
    void SIG_ENV_002_fails_when_the_listener_does_not_speak_ssh() {
        RequirementResult r = connectFailed("SIG-ENV-002", Kind.HANDSHAKE, "payload.test:22 sent 'HTTP/1.1 400', not an SSH banner");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("no SSH daemon answered").contains("not an SSH banner");
    }

    @Test
    void SIG_ENV_002_fails_when_the_handshake_times_out() {
        RequirementResult r = connectFailed("SIG-ENV-002", Kind.TIMEOUT, "no SSH banner from payload.test:22 within 10 s");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.actual()).contains("within 10 s");
    }

    @Test
    void SIG_ENV_002_is_error_when_the_host_key_is_unknown() {
        // GIVEN a daemon whose host key is not trusted: the kit cannot tell a payload from an impostor
        RequirementResult r = connectFailed("SIG-ENV-002", Kind.HOST_KEY_UNKNOWN, "host key of payload.test:22 is not in known_hosts");
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.message()).contains("is not in known_hosts");
    }

    @Test
    void SIG_ENV_002_is_error_when_the_host_key_changed() {
        RequirementResult r = connectFailed("SIG-ENV-002", Kind.HOST_KEY_CHANGED, "host key of payload.test:22 changed");
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void SIG_ENV_002_is_error_when_the_kits_own_key_file_is_unreadable() {
        RequirementResult r = connectFailed("SIG-ENV-002", Kind.KEY_FILE, "cannot read identity /nonexistent/id_ed25519");
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.message()).contains("/nonexistent/id_ed25519");
    }

    @Test
    void SIG_ENV_002_passes_when_the_daemon_asked_for_authentication_that_was_refused() {
        RequirementResult r = connectFailed("SIG-ENV-002", Kind.AUTH_FAILED, "sigapi@payload.test:22 refused every key");
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.message()).contains("asked for authentication").contains("see SIG-ENV-003");
    }

    @Test
    void SIG_ENV_002_passes_naming_the_server_and_its_host_key() {
        RequirementResult r = CannedPayload.conformant().check("SIG-ENV-002");
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.message()).contains("SSH-2.0-OpenSSH_9.2p1").contains("ssh-ed25519").contains("policy STRICT");
    }

    // SIG-ENV-003: a user is provisioned for the Signaling API

    @Test
    void SIG_ENV_003_fails_when_authentication_is_refused() {
        RequirementResult r = connectFailed("SIG-ENV-003", Kind.AUTH_FAILED, "sigapi@payload.test:22 refused every key");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-ENV-003] the signaling user 'sigapi' cannot log in");
        assertThat(r.actual()).isEqualTo("authentication refused");
    }

    @Test
    void SIG_ENV_003_is_error_when_the_kit_could_not_reach_the_login() {
        RequirementResult r = connectFailed("SIG-ENV-003", Kind.UNREACHABLE, "connection refused by payload.test:22");
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.message()).contains("could not log in as 'sigapi'");
    }

    @Test
    void SIG_ENV_003_fails_when_true_exits_non_zero() {
        // GIVEN a login shell that refuses commands (nologin prints a line and exits 1)
        CannedPayload payload = CannedPayload.conformant()
                .login(CannedPayload.exec("true", 1, "This account is currently not available."));
        RequirementResult r = payload.check("SIG-ENV-003");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("'true' as sigapi").contains("exited 1")
                .contains("with stderr: This account is currently not available.");
        assertThat(r.expected()).isEqualTo("exit status 0");
    }

    @Test
    void SIG_ENV_003_fails_when_true_never_returns() {
        // GIVEN a login script that waits for input forever
        RequirementResult r = CannedPayload.conformant().login(CannedPayload.timedOut("true")).check("SIG-ENV-003");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("exited never (timed out)");
    }

    @Test
    void SIG_ENV_003_is_error_when_the_facts_probe_is_forged() {
        // GIVEN a login script whose output imitates the kit's markers
        CannedPayload payload = CannedPayload.conformant().factsFail(new IncompleteOutputException(
                "the facts probe: output that imitates the kit's own was seen"));
        RequirementResult r = payload.check("SIG-ENV-003");
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.message()).contains("imitates the kit's own");
    }

    @Test
    void SIG_ENV_003_passes_naming_uid_shell_and_authentication() {
        RequirementResult r = CannedPayload.conformant().check("SIG-ENV-003");
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.message()).isEqualTo("[SIG-ENV-003] user 'sigapi' (uid 1000, login shell /bin/bash) logged in by"
                + " publickey with no TTY; 'true' exited 0");
    }

    // SIG-ENV-004: an Ethernet connection to the bus

    @Test
    void SIG_ENV_004_fails_when_only_loopback_is_up() {
        CannedPayload payload = CannedPayload.conformant().facts(f -> f.put("interfaces", "eth0 down 0x1002\nlo unknown 0x9\n"));
        RequirementResult r = payload.check("SIG-ENV-004");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-ENV-004] no non-loopback network interface is up on " + CannedPayload.TARGET)
                .contains("eth0 down down");
    }

    @Test
    void SIG_ENV_004_fails_when_the_driver_reports_the_link_down() {
        // GIVEN eth0 administratively up (IFF_UP) but its carrier lost: operstate lowerlayerdown
        CannedPayload payload = CannedPayload.conformant()
                .facts(f -> f.put("interfaces", "eth0 lowerlayerdown 0x1003\nlo unknown 0x9\n"));
        RequirementResult r = payload.check("SIG-ENV-004");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.actual()).contains("eth0 lowerlayerdown down");
    }

    @Test
    void SIG_ENV_004_is_error_when_no_interface_could_be_listed() {
        RequirementResult r = CannedPayload.conformant().facts(f -> f.remove("interfaces")).check("SIG-ENV-004");
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.message()).contains("/sys/class/net unreadable");
    }

    @Test
    void SIG_ENV_004_passes_naming_the_interface_that_carries_the_session() {
        RequirementResult r = CannedPayload.conformant().check("SIG-ENV-004");
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.message()).contains("eth0").contains("this session arrives on eth0");
    }

    @Test
    void SIG_ENV_004_passes_and_says_so_when_the_session_arrives_on_loopback() {
        CannedPayload payload = CannedPayload.conformant()
                .facts(f -> f.put("ssh-connection", "127.0.0.1 50412 127.0.0.1 2201\n"));
        RequirementResult r = payload.check("SIG-ENV-004");
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.message()).contains("this session arrives on lo (loopback");
    }
}
