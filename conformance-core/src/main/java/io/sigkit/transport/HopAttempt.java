package io.sigkit.transport;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;

/**
 * One attempt to log in to one hop: the hop, its host key verifier and keys, and what happened (key exchange,
 * authentication, channels it failed to open for the next hop), attached to its MINA session so that the client's
 * shared verifier, key provider and authentication factories act for the right hop.
 */
final class HopAttempt {

    /** The session attribute holding a session's attempt. */
    static final AttributeRepository.AttributeKey<HopAttempt> KEY = new AttributeRepository.AttributeKey<>();

    final Hop hop;
    final KnownHostsVerifier verifier;
    final Identities.HopKeys keys;
    /** Completed when the first key exchange is done; failed when the session closes before. */
    final CompletableFuture<Void> keyExchange = new CompletableFuture<>();
    final List<String> methodsTried = Collections.synchronizedList(new ArrayList<>());
    final List<String> serverMethods = Collections.synchronizedList(new ArrayList<>());
    volatile String methodSucceeded;
    /** Why this hop could not open a tunnel to the next one, as the bastion said. */
    volatile Throwable tunnelFailure;
    volatile ClientSession session;
    /** What ended the session, if MINA said (e.g. keepalives without reply). */
    volatile Throwable closedBy;

    HopAttempt(Hop hop, Identities.HopKeys keys) {
        this.hop = hop;
        this.verifier = new KnownHostsVerifier(hop);
        this.keys = keys;
    }

    /** The attempt a session belongs to, or null for a session sigkit did not open. */
    static HopAttempt of(AttributeRepository session) {
        if (session == null) {
            return null;
        }
        HopAttempt a = session.getAttribute(KEY);
        if (a == null && session instanceof ClientSession cs && cs.getConnectionContext() != null) {
            a = cs.getConnectionContext().getAttribute(KEY);
        }
        return a;
    }

    boolean authenticated() {
        return methodSucceeded != null;
    }
}
