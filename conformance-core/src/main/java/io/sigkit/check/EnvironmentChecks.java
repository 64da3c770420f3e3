package io.sigkit.check;

import static io.sigkit.check.CheckDefinition.check;

import io.sigkit.probe.PayloadFacts;
import io.sigkit.timing.Stats;
import io.sigkit.transport.ExecResult;
import io.sigkit.transport.ServerIdentity;
import io.sigkit.transport.TransportException;
import java.util.ArrayList;
import java.util.List;

/** SIG-ENV: Linux, an SSH daemon, a provisioned user, an Ethernet link. */
final class EnvironmentChecks {
    private EnvironmentChecks() {
    }

    static List<CheckDefinition> all() {
        return List.of(
                check("SIG-ENV-002", EnvironmentChecks::sshDaemon),
                check("SIG-ENV-003", EnvironmentChecks::user, "SIG-ENV-002"),
                check("SIG-ENV-001", EnvironmentChecks::linux, "SIG-ENV-003"),
                check("SIG-ENV-004", EnvironmentChecks::ethernet, "SIG-ENV-003"));
    }

    static RequirementResult sshDaemon(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-ENV-002");
        if (ctx.connectFailure().isPresent()) {
            TransportException e = ctx.connectFailure().get();
            r.evidence("target", ctx.targetText()).evidence("error", e.getMessage()).evidence("kind", e.kind().name());
            return switch (e.kind()) {
                case AUTH_FAILED -> r.pass("SSH daemon at " + ctx.targetText()
                        + " completed the handshake and asked for authentication (which was refused: see SIG-ENV-003)");
                case HOST_KEY_UNKNOWN, HOST_KEY_CHANGED, KEY_FILE -> r.error(e.getMessage());
                default -> r.fail("no SSH daemon answered at " + ctx.targetText() + ": " + e.getMessage(),
                        "an SSH handshake at " + ctx.targetText(), e.getMessage());
            };
        }
        ServerIdentity id = ctx.observations().serverIdentity();
        return r.evidence("server", id.serverVersion()).evidence("hostKeyType", id.hostKeyType())
                .evidence("hostKeyFingerprint", id.hostKeyFingerprint())
                .evidence("handshakeMillis", id.handshake() == null ? null : id.handshake().toMillis())
                .evidence("hostKeyPolicy", id.policy().name())
                .pass("SSH daemon at " + id.address() + " (" + id.serverVersion() + ") completed the handshake in "
                        + (id.handshake() == null ? "?" : Stats.ms(id.handshake())) + "; host key " + id.hostKeyType()
                        + " " + id.hostKeyFingerprint() + " verified by policy " + id.policy());
    }

    static RequirementResult user(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-ENV-003");
        String user = ctx.options().connection().target().user();
        if (ctx.connectFailure().isPresent()) {
            TransportException e = ctx.connectFailure().get();
            r.evidence("user", user).evidence("error", e.getMessage());
            if (e.kind() == TransportException.Kind.AUTH_FAILED) {
                return r.fail("the signaling user '" + user + "' cannot log in at " + ctx.targetText() + ": "
                        + e.getMessage(), "non-interactive login as " + user, "authentication refused");
            }
            return r.error("could not log in as '" + user + "': " + e.getMessage());
        }
        ExecResult login = ctx.login();
        ServerIdentity id = ctx.observations().serverIdentity();
        r.evidence("user", user).evidence("authMethod", id.authMethod()).evidence("command", "true")
                .evidence("exitStatus", login.exitStatus()).evidence("stderr", login.stderr().strip());
        if (!login.succeeded()) {
            return r.fail("'true' as " + user + " on " + ctx.targetText() + " exited "
                    + (login.timedOut() ? "never (timed out)" : String.valueOf(login.exitStatus()))
                    + (login.stderr().isBlank() ? "" : " with stderr: " + login.stderr().strip()),
                    "exit status 0", String.valueOf(login.exitStatus()));
        }
        PayloadFacts f = ctx.facts();
        r.evidence("uid", f.uid().orElse(null)).evidence("loginShell", f.loginShell())
                .evidence("shellExecutable", f.shellExecutable()).evidence("tty", f.tty());
        return r.pass("user '" + user + "' (uid " + f.uid().map(String::valueOf).orElse("?") + ", login shell "
                + f.loginShell() + ") logged in by " + id.authMethod() + " with no TTY; 'true' exited 0");
    }

    static RequirementResult linux(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-ENV-001");
        PayloadFacts f = ctx.facts();
        r.evidence("uname -s", f.unameS()).evidence("uname -srm", f.unameSrm()).evidence("os", f.osPrettyName());
        if (f.unameS().equals("Linux")) {
            return r.pass("the payload runs Linux: " + f.unameSrm()
                    + (f.osPrettyName().isEmpty() ? "" : " (" + f.osPrettyName() + ")"));
        }
        return r.fail("'uname -s' on " + ctx.targetText() + " printed '" + f.unameS() + "'", "Linux", f.unameS());
    }

    static RequirementResult ethernet(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-ENV-004");
        PayloadFacts f = ctx.facts();
        List<String> described = new ArrayList<>();
        List<String> upNonLoopback = new ArrayList<>();
        for (PayloadFacts.NetInterface i : f.interfaces()) {
            described.add(i.name() + " " + i.operState() + (i.isUp() ? " up" : " down") + " " + i.addresses());
            if (!i.isLoopback() && i.isUp()) {
                upNonLoopback.add(i.name());
            }
        }
        String session = f.sessionInterface().orElse("unknown");
        r.evidence("interfaces", described).evidence("sshConnection", f.sshConnection()).evidence("sessionInterface", session);
        if (f.interfaces().isEmpty()) {
            return r.error("could not list network interfaces on the payload (/sys/class/net unreadable)");
        }
        if (upNonLoopback.isEmpty()) {
            return r.fail("no non-loopback network interface is up on " + ctx.targetText() + " (seen: " + described + ")",
                    "at least one non-loopback interface up", described.toString());
        }
        return r.pass("non-loopback interface(s) up: " + String.join(", ", upNonLoopback)
                + "; this session arrives on " + session
                + (session.equals("lo") ? " (loopback: the kit reaches the payload through a local forward)" : ""));
    }
}
