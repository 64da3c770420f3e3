package io.sigkit.transport;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.UserAuthFactory;
import org.apache.sshd.client.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.client.auth.password.PasswordIdentityProvider;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.sftp.SftpModuleProperties;

/**
 * Sets up the MINA client of a connection, shared by every open connection whose settings configure a client alike
 * (a fleet certified from one process uses one client, one I/O thread pool and one timer). MINA's defaults are permissive (any host key, {@code ~/.ssh/config} and
 * {@code ~/.ssh/id_*} read silently, Nagle on), so each is set explicitly; everything that differs per hop (host key
 * check, keys, the agent's keys under IdentitiesOnly) is looked up on the session's {@link HopAttempt}.
 */
final class ClientFactory {

    /** The keepalive request OpenSSH's ServerAliveInterval sends; servers answer it (with failure) when want-reply is set. */
    static final String KEEPALIVE_REQUEST = "keepalive@openssh.com";

    /** What configures a client beyond the session's {@link HopAttempt}: connections alike in these share one. */
    private record ClientKey(boolean agent, String agentSocket, Optional<SecretSource> password,
                             Map<String, String> passwordEnvironment, Duration connectTimeout, Duration authTimeout,
                             Duration callTimeout, Duration keepaliveInterval, int keepaliveCountMax) {
        static ClientKey of(ConnectionSettings s, Map<String, String> environment) {
            Hop payload = s.route().target();
            Duration longestConnect = s.route().hops().stream().map(Hop::connectTimeout).max(Duration::compareTo)
                    .orElse(s.connectTimeout());
            return new ClientKey(s.useAgent(), s.useAgent() ? environment.get("SSH_AUTH_SOCK") : null, s.password(),
                    s.password().isPresent() ? Map.copyOf(environment) : Map.of(), longestConnect, s.authTimeout(),
                    s.defaultCallTimeout(), payload.keepaliveInterval(), payload.keepaliveCountMax());
        }
    }

    /** A started client and how many open connections use it. */
    private static final class Shared {
        final SshClient client;
        int users;

        Shared(SshClient client) {
            this.client = client;
        }
    }

    private static final Map<ClientKey, Shared> SHARED = new HashMap<>();

    private ClientFactory() {
    }

    /**
     * The started client for these settings, shared with the open connections whose settings configure it alike; give
     * it back with {@link #release}.
     */
    static synchronized SshClient acquire(ConnectionSettings settings, Map<String, String> environment) {
        Shared shared = SHARED.computeIfAbsent(ClientKey.of(settings, environment),
                k -> new Shared(create(settings, environment)));
        shared.users++;
        return shared.client;
    }

    /** Gives a client back; the last connection to give it back stops it. */
    static synchronized void release(SshClient client) {
        for (Iterator<Shared> it = SHARED.values().iterator(); it.hasNext(); ) {
            Shared shared = it.next();
            if (shared.client == client) {
                if (--shared.users == 0) {
                    it.remove();
                    client.stop();
                }
                return;
            }
        }
        client.stop(); // not shared: made by create()
    }

    static SshClient create(ConnectionSettings settings, Map<String, String> environment) {
        SshClient c = SshClient.setUpDefaultClient();
        c.setServerKeyVerifier((session, remote, key) -> {
            HopAttempt a = HopAttempt.of(session);
            return a != null && a.verifier.verify(key);
        });
        // sigkit resolves the ssh config itself (RouteResolver); MINA must not read any
        c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        c.setKeyIdentityProvider(session -> {
            HopAttempt a = HopAttempt.of(session);
            List<KeyPair> pairs = new ArrayList<>();
            if (a != null) {
                a.keys.keys().forEach(k -> pairs.add(k.pair()));
            }
            return pairs;
        });
        c.setFilePasswordProvider(FilePasswordProvider.EMPTY);
        if (settings.useAgent()) {
            c.setAgentFactory(new UnixSocketAgent.Factory(Path.of(environment.get("SSH_AUTH_SOCK")), ClientFactory::agentFilter));
        } else {
            c.setAgentFactory(null);
        }
        List<UserAuthFactory> auths = new ArrayList<>();
        auths.add(new AuthRecorder(UserAuthPublicKeyFactory.INSTANCE));
        if (settings.password().isPresent()) {
            SecretSource source = settings.password().get();
            c.setPasswordIdentityProvider(session -> {
                HopAttempt a = HopAttempt.of(session);
                String who = a == null ? settings.target().login() : a.hop.login().login();
                return List.of(source.read(environment, TransportException.Kind.AUTH_FAILED, "password for " + who));
            });
            auths.add(new AuthRecorder(UserAuthPasswordFactory.INSTANCE));
            auths.add(new AuthRecorder(UserAuthKeyboardInteractiveFactory.INSTANCE));
        } else {
            c.setPasswordIdentityProvider(PasswordIdentityProvider.EMPTY_PASSWORDS_PROVIDER);
        }
        c.setUserAuthFactories(auths);
        c.setKeyExchangeFactories(fastKeyExchangeFirst(c.getKeyExchangeFactories()));
        Duration longestConnect = settings.route().hops().stream().map(Hop::connectTimeout).max(Duration::compareTo)
                .orElse(settings.connectTimeout());
        CoreModuleProperties.TCP_NODELAY.set(c, true);
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(c, longestConnect);
        // MINA's own bound is a safety net only: the kit's bounds (HopConnector) fire first and say which step timed out
        CoreModuleProperties.AUTH_TIMEOUT.set(c, longestConnect.plus(settings.authTimeout()).plusSeconds(30));
        CoreModuleProperties.REQUEST_SUBSYSTEM_REPLY.set(c, true);
        SftpModuleProperties.SFTP_CHANNEL_OPEN_TIMEOUT.set(c, min(settings.defaultCallTimeout(), Duration.ofSeconds(10)));
        // bound waits for the peer's window, so a stalled link cannot hang a write; SFTP requests are bounded in SftpFiles
        CoreModuleProperties.WAIT_FOR_SPACE_TIMEOUT.set(c, settings.defaultCallTimeout());
        // no idle disconnect: the bus keeps its session for the whole run; a dead link is found by the keepalive
        CoreModuleProperties.IDLE_TIMEOUT.set(c, Duration.ZERO);
        keepalive(c, settings.route().target());
        c.addSessionListener(new Listener());
        c.start();
        return c;
    }

    /**
     * Sets the keepalive, as OpenSSH's ServerAliveInterval and ServerAliveCountMax: a want-reply request every interval
     * once logged in, and the session closed (calls then fail as CONNECTION_LOST) when more than the count go
     * unanswered. MINA reads these when it creates a session, from the client: the payload's values therefore apply
     * to the bastions' sessions too.
     */
    private static void keepalive(SshClient c, Hop payload) {
        CoreModuleProperties.HEARTBEAT_REQUEST.set(c, KEEPALIVE_REQUEST);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(c, payload.keepaliveInterval());
        if (!payload.keepaliveInterval().isZero()) {
            CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(c, payload.keepaliveCountMax());
        }
    }

    private static Predicate<PublicKey> agentFilter(Session session) {
        HopAttempt a = HopAttempt.of(session);
        if (a == null || !a.hop.identitiesOnly()) {
            return key -> true;
        }
        return key -> a.keys.keys().stream().anyMatch(k -> KeyUtils.compareKeys(k.pair().getPublic(), key));
    }

    /**
     * Puts curve25519-sha256 ahead of MINA's first choice, the post-quantum hybrid sntrup761x25519-sha512, whose pure-Java
     * implementation costs 0.4 to 1 s per handshake here (against 30 ms): the kit's time budget counts every session.
     */
    static List<KeyExchangeFactory> fastKeyExchangeFirst(List<KeyExchangeFactory> factories) {
        List<KeyExchangeFactory> first = new ArrayList<>();
        List<KeyExchangeFactory> rest = new ArrayList<>();
        for (KeyExchangeFactory f : factories) {
            (f.getName().startsWith("curve25519-sha256") ? first : rest).add(f);
        }
        first.addAll(rest);
        return first;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** Tracks each attempt's key exchange, and puts the host key algorithms its known_hosts can verify first. */
    private static final class Listener implements SessionListener {
        @Override
        public void sessionEvent(Session session, Event event) {
            HopAttempt a = HopAttempt.of(session);
            if (a != null && event == Event.KeyEstablished) {
                a.keyExchange.complete(null);
            }
        }

        @Override
        public void sessionException(Session session, Throwable t) {
            HopAttempt a = HopAttempt.of(session);
            if (a != null) {
                a.closedBy = t;
                a.keyExchange.completeExceptionally(t);
            }
        }

        @Override
        public void sessionClosed(Session session) {
            HopAttempt a = HopAttempt.of(session);
            if (a != null) {
                a.keyExchange.completeExceptionally(new IOException("the server closed the connection"));
            }
        }

        @Override
        public void sessionNegotiationOptionsCreated(Session s, Map<KexProposalOption, String> proposal) {
            HopAttempt a = HopAttempt.of(s);
            if (a == null || a.hop.hostKeyPolicy() == HostKeyPolicy.IGNORE) {
                return;
            }
            String offered = proposal.get(KexProposalOption.SERVERKEYS);
            if (offered == null) {
                return;
            }
            java.util.Set<String> known = a.verifier.knownKeyTypes();
            if (known.isEmpty()) {
                return;
            }
            List<String> first = new ArrayList<>();
            List<String> rest = new ArrayList<>();
            for (String algorithm : offered.split(",")) {
                (known.contains(keyTypeOf(algorithm)) ? first : rest).add(algorithm);
            }
            first.addAll(rest);
            proposal.put(KexProposalOption.SERVERKEYS, String.join(",", first));
        }

        private static String keyTypeOf(String signatureAlgorithm) {
            return signatureAlgorithm.startsWith("rsa-sha2-") ? "ssh-rsa" : signatureAlgorithm;
        }
    }
}
