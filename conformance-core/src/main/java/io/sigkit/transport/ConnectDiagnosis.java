package io.sigkit.transport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.future.CancelOption;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * Turns a failure to reach, trust or log in to one hop into one line that names the hop (the payload, or which
 * bastion), the address and port actually used, and, for a refused login, the user and every key tried with where it
 * came from; never a Java exception's text alone.
 */
final class ConnectDiagnosis {

    private static final Duration PROBE_WAIT = Duration.ofSeconds(3);

    private final ConnectionSettings settings;
    private final String agentSocket;
    private final HopAttempt attempt;
    private final HopAttempt previous;

    ConnectDiagnosis(ConnectionSettings settings, String agentSocket, HopAttempt attempt, HopAttempt previous) {
        this.settings = settings;
        this.agentSocket = agentSocket;
        this.attempt = attempt;
        this.previous = previous;
    }

    private Hop hop() {
        return attempt.hop;
    }

    /** "cannot reach X" for a direct hop, "cannot reach X through bastion Y" behind one. */
    private String reach() {
        return "cannot reach " + hop().describe() + (previous == null ? "" : " through " + previous.hop.describe());
    }

    TransportException noTcpConnection() {
        return new TransportException(TransportException.Kind.TIMEOUT, reach() + ": no TCP connection within "
                + seconds(hop().connectTimeout()));
    }

    TransportException noKeyExchange() {
        Optional<TransportException> rejected = rejection(null);
        if (rejected.isPresent()) {
            return rejected.get();
        }
        if (previous != null && probeTunnel()) {
            return tunnelRefused(null);
        }
        return new TransportException(TransportException.Kind.TIMEOUT, "SSH handshake with " + hop().describe()
                + " did not complete within " + seconds(hop().connectTimeout())
                + " (--connect-timeout bounds the TCP connect, the SSH banner and the key exchange together)"
                + (previous == null ? "" : ", through " + previous.hop.describe()));
    }

    TransportException noAuthentication() {
        return new TransportException(TransportException.Kind.TIMEOUT, "authentication of " + hop().user() + " on "
                + hop().describe() + " did not complete within " + seconds(settings.authTimeout()));
    }

    /** Turns any failure of this hop into its message. */
    TransportException failure(Throwable failure) {
        if (failure instanceof TransportException te) {
            return te;
        }
        Throwable root = rootCause(failure);
        if (root instanceof TransportException te) {
            return te;
        }
        Optional<TransportException> rejected = rejection(failure);
        if (rejected.isPresent()) {
            return rejected.get();
        }
        boolean beforeKeyExchange = !attempt.keyExchange.isDone() || attempt.keyExchange.isCompletedExceptionally();
        if (previous != null && beforeKeyExchange && probeTunnel()) {
            return tunnelRefused(failure);
        }
        String message = Identities.summary(root);
        if (root instanceof ConnectException) {
            return new TransportException(TransportException.Kind.UNREACHABLE, reach() + ": connection refused", failure);
        }
        if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
            return new TransportException(TransportException.Kind.UNREACHABLE, reach() + ": unknown host " + hop().host(),
                    failure);
        }
        if (root instanceof NoRouteToHostException) {
            return new TransportException(TransportException.Kind.UNREACHABLE, reach() + ": no route to host", failure);
        }
        if (root instanceof SocketTimeoutException || root instanceof InterruptedIOException) {
            return new TransportException(TransportException.Kind.TIMEOUT, reach() + ": no answer within "
                    + seconds(hop().connectTimeout()), failure);
        }
        if (attempt.keyExchange.isDone() && !attempt.keyExchange.isCompletedExceptionally() && !attempt.authenticated()
                && (!attempt.methodsTried.isEmpty() || !attempt.serverMethods.isEmpty()
                        || message.contains("No more authentication methods"))) {
            return new TransportException(TransportException.Kind.AUTH_FAILED, "authentication refused by "
                    + hop().describe() + " for user " + hop().user() + " (" + hop().userSource() + "): " + attempts(),
                    failure);
        }
        String lower = message.toLowerCase(Locale.ROOT);
        if (root instanceof EOFException || lower.contains("connection reset") || lower.contains("broken pipe")
                || lower.contains("closed")) {
            return new TransportException(TransportException.Kind.HANDSHAKE, "SSH handshake with " + hop().describe()
                    + " failed: the server closed the connection before the key exchange completed; is it an SSH server"
                    + " that accepts this client's algorithms?" + (previous == null ? "" : " (reached through "
                    + previous.hop.describe() + ")"), failure);
        }
        return new TransportException(TransportException.Kind.HANDSHAKE, "SSH handshake with " + hop().describe()
                + " failed: " + message, failure);
    }

    private Optional<TransportException> rejection(Throwable cause) {
        return attempt.verifier.rejected().map(c -> new TransportException(attempt.verifier.rejectionKind(c),
                attempt.verifier.rejection(c), cause));
    }

    /**
     * Asks the previous bastion, once more and on its own channel, to connect to this hop: MINA's tunnel does not
     * report why the bastion refused, so this is how the bastion's own reason is learnt (only on the failure path).
     *
     * @return whether the bastion refused (its reason then in {@code previous.tunnelFailure})
     */
    private boolean probeTunnel() {
        if (previous.tunnelFailure != null) {
            return true;
        }
        ClientSession bastion = previous.session;
        if (bastion == null || !bastion.isOpen()) {
            previous.tunnelFailure = new IOException("the session to " + previous.hop.describe() + " closed");
            return true;
        }
        ChannelDirectTcpip probe = null;
        try {
            probe = bastion.createDirectTcpipChannel(new SshdSocketAddress("127.0.0.1", 0),
                    new SshdSocketAddress(hop().host(), hop().port()));
            OpenFuture opened = probe.open();
            if (!opened.await(PROBE_WAIT, CancelOption.CANCEL_ON_TIMEOUT)) {
                previous.tunnelFailure = new IOException("no answer within " + seconds(PROBE_WAIT));
                return true;
            }
            if (!opened.isOpened()) {
                previous.tunnelFailure = opened.getException() == null ? new IOException("refused") : opened.getException();
                return true;
            }
            return false;
        } catch (IOException | RuntimeException e) {
            previous.tunnelFailure = e;
            return true;
        } finally {
            if (probe != null) {
                probe.close(true);
            }
        }
    }

    private TransportException tunnelRefused(Throwable failure) {
        Throwable t = previous.tunnelFailure;
        String said = t instanceof SshChannelOpenException o ? describeOpenFailure(o) : Identities.summary(t);
        return new TransportException(TransportException.Kind.UNREACHABLE, reach() + ": the bastion could not connect to "
                + hop().address() + " (" + said + ")", failure == null ? t : failure);
    }

    private static String describeOpenFailure(SshChannelOpenException e) {
        String m = e.getMessage() == null ? "" : e.getMessage().strip();
        String reason = switch (e.getReasonCode()) {
            case 1 -> "administratively prohibited: the bastion does not allow forwarding";
            case 2 -> "connect failed";
            case 3 -> "unknown channel type";
            case 4 -> "resource shortage";
            default -> "refused";
        };
        return m.isEmpty() ? reason : reason + ": " + m;
    }

    private String attempts() {
        List<String> parts = new ArrayList<>();
        Set<String> tried = new LinkedHashSet<>(attempt.methodsTried);
        if (tried.isEmpty() || tried.contains("publickey")) {
            List<String> offered = new ArrayList<>();
            for (Identities.LoadedKey k : attempt.keys.keys()) {
                offered.add(k.describe());
            }
            if (settings.useAgent()) {
                offered.add("the keys of ssh-agent " + agentSocket
                        + (hop().identitiesOnly() ? " that match those files (IdentitiesOnly)" : "") + " (--agent)");
            }
            parts.add("tried publickey with " + (offered.isEmpty() ? "no key" : String.join(", ", offered)));
            if (!attempt.keys.skipped().isEmpty()) {
                parts.add("skipped " + String.join(", ", attempt.keys.skipped()));
            }
        }
        if (tried.contains("password") || tried.contains("keyboard-interactive")) {
            parts.add("tried password from " + settings.password().map(SecretSource::describe).orElse("nowhere"));
        }
        if (!attempt.serverMethods.isEmpty()) {
            parts.add("the server accepts " + String.join(", ", attempt.serverMethods));
        }
        return String.join("; ", parts);
    }

    private static Throwable rootCause(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r;
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
