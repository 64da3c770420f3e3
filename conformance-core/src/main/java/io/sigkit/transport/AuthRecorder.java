package io.sigkit.transport;

import java.io.IOException;
import java.util.List;

import org.apache.sshd.client.auth.UserAuth;
import org.apache.sshd.client.auth.UserAuthFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * Wraps an authentication method to record, on the session's {@link HopAttempt}, the methods tried, the one that
 * succeeded and what the server accepts, for the failure message and {@link ServerIdentity}.
 */
final class AuthRecorder implements UserAuthFactory {
    private final UserAuthFactory delegate;

    AuthRecorder(UserAuthFactory delegate) {
        this.delegate = delegate;
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public UserAuth createUserAuth(ClientSession s) throws IOException {
        UserAuth auth = delegate.createUserAuth(s);
        HopAttempt attempt = HopAttempt.of(s);
        if (attempt == null) {
            return auth;
        }
        return new UserAuth() {
            @Override
            public ClientSession getClientSession() {
                return auth.getClientSession();
            }

            @Override
            public ClientSession getSession() {
                return auth.getSession();
            }

            @Override
            public String getName() {
                return auth.getName();
            }

            @Override
            public void init(ClientSession session, String service) throws Exception {
                auth.init(session, service);
            }

            @Override
            public boolean process(Buffer buffer) throws Exception {
                boolean more = auth.process(buffer);
                if (more && !attempt.methodsTried.contains(getName())) {
                    attempt.methodsTried.add(getName());
                }
                return more;
            }

            @Override
            public void signalAuthMethodSuccess(ClientSession session, String service, Buffer buffer) throws Exception {
                attempt.methodSucceeded = getName();
                auth.signalAuthMethodSuccess(session, service, buffer);
            }

            @Override
            public void signalAuthMethodFailure(ClientSession session, String service, boolean partial,
                    List<String> serverMethods, Buffer buffer) throws Exception {
                synchronized (attempt.serverMethods) {
                    attempt.serverMethods.clear();
                    if (serverMethods != null) {
                        attempt.serverMethods.addAll(serverMethods);
                    }
                }
                auth.signalAuthMethodFailure(session, service, partial, serverMethods, buffer);
            }

            @Override
            public boolean isCancellable() {
                return auth.isCancellable();
            }

            @Override
            public void destroy() {
                auth.destroy();
            }
        };
    }
}
