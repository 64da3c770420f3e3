package io.sigkit.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.future.AuthFuture;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.future.CancelOption;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs in to each hop of a {@link Route} in turn: the first bastion directly, each next server through a tunnel the
 * previous one opens (as OpenSSH's ProxyJump), the payload last. Each hop has one deadline for the TCP connect, the SSH
 * banner and the key exchange together (its connect timeout), then one for authentication; a failure is turned into
 * one line naming the hop by {@link ConnectDiagnosis}.
 */
final class HopConnector {

    private static final Logger LOG = LoggerFactory.getLogger(HopConnector.class);

    /**
     * The sessions of a route, first hop first, the payload's last; closing it closes them all, last first.
     *
     * @param sessions every hop's session
     * @param tunnels the local ends of the tunnels through the bastions
     * @param target the payload's attempt
     * @param handshake time from the first TCP connect to the payload's authenticated session
     */
    record Connected(List<ClientSession> sessions, List<ExplicitPortForwardingTracker> tunnels, HopAttempt target,
            Duration handshake) {
        ClientSession session() {
            return sessions.get(sessions.size() - 1);
        }

        void close() {
            HopConnector.close(sessions, tunnels);
        }
    }

    private final ConnectionSettings settings;
    private final SshClient client;
    private final Map<Integer, Identities.HopKeys> keys;
    private final String agentSocket;

    HopConnector(ConnectionSettings settings, SshClient client, Map<Integer, Identities.HopKeys> keys, String agentSocket) {
        this.settings = settings;
        this.client = client;
        this.keys = keys;
        this.agentSocket = agentSocket;
    }

    Connected connect() {
        long start = System.nanoTime();
        List<ClientSession> sessions = new ArrayList<>();
        List<ExplicitPortForwardingTracker> tunnels = new ArrayList<>();
        List<HopAttempt> attempts = new ArrayList<>();
        try {
            for (Hop hop : settings.route().hops()) {
                HopAttempt previous = attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
                HopAttempt attempt = new HopAttempt(hop, keys.get(hop.index()));
                attempts.add(attempt);
                ClientSession s = login(attempt, previous, tunnels);
                sessions.add(s);
            }
        } catch (RuntimeException e) {
            close(sessions, tunnels);
            throw e;
        }
        return new Connected(List.copyOf(sessions), List.copyOf(tunnels), attempts.get(attempts.size() - 1),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private ClientSession login(HopAttempt attempt, HopAttempt previous, List<ExplicitPortForwardingTracker> tunnels) {
        Hop hop = attempt.hop;
        ConnectDiagnosis diagnosis = new ConnectDiagnosis(settings, agentSocket, attempt, previous);
        long deadline = System.nanoTime() + hop.connectTimeout().toNanos();
        String host = hop.host();
        int port = hop.port();
        if (previous != null) {
            try {
                ExplicitPortForwardingTracker tunnel = previous.session.createLocalPortForwardingTracker(
                        new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(hop.host(), hop.port()));
                tunnels.add(tunnel);
                host = tunnel.getBoundAddress().getHostName();
                port = tunnel.getBoundAddress().getPort();
            } catch (IOException e) {
                throw diagnosis.failure(e);
            }
        }
        ClientSession s = null;
        try {
            ConnectFuture cf = client.connect(hop.user(), host, port, AttributeRepository.ofKeyValuePair(HopAttempt.KEY, attempt));
            if (!cf.await(remaining(deadline), CancelOption.CANCEL_ON_TIMEOUT)) {
                throw diagnosis.noTcpConnection();
            }
            if (cf.getException() != null) {
                throw diagnosis.failure(cf.getException());
            }
            s = cf.getSession();
            attempt.session = s;
            try {
                attempt.keyExchange.get(remaining(deadline).toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw diagnosis.noKeyExchange();
            } catch (ExecutionException e) {
                throw diagnosis.failure(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportException(TransportException.Kind.TIMEOUT, "interrupted while connecting to "
                        + hop.describe());
            }
            AuthFuture af = s.auth();
            if (!af.await(settings.authTimeout(), CancelOption.CANCEL_ON_TIMEOUT)) {
                throw diagnosis.noAuthentication();
            }
            if (!af.isSuccess()) {
                throw diagnosis.failure(af.getException());
            }
        } catch (IOException e) {
            closeQuietly(s);
            throw diagnosis.failure(e);
        } catch (RuntimeException e) {
            closeQuietly(s);
            throw e;
        }
        LOG.debug("logged in to {} by {}", hop.describe(), attempt.methodSucceeded);
        return s;
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    private static void closeQuietly(ClientSession s) {
        if (s != null) {
            s.close(true);
        }
    }

    static void close(List<ClientSession> sessions, List<ExplicitPortForwardingTracker> tunnels) {
        for (int i = sessions.size() - 1; i >= 0; i--) {
            ClientSession s = sessions.get(i);
            try {
                s.close(false).await(Duration.ofSeconds(2));
            } catch (IOException e) {
                LOG.debug("closing session {}: {}", i, e.toString());
            } finally {
                s.close(true);
            }
            if (i > 0 && i - 1 < tunnels.size()) {
                try {
                    tunnels.get(i - 1).close();
                } catch (IOException e) {
                    LOG.debug("closing tunnel {}: {}", i - 1, e.toString());
                }
            }
        }
    }
}
