package io.sigkit.transport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * An ssh-agent client over the JDK's own Unix domain sockets (Java 16+).
 *
 * <p>MINA SSHD's {@code org.apache.sshd.agent.unix} client needs Tomcat's native APR library, which is not available
 * here; its protocol code ({@link AbstractAgentProxy}) is used as is, and only the socket is replaced.
 */
final class UnixSocketAgent extends AbstractAgentProxy {

    private static final int MAX_MESSAGE = 256 * 1024;

    private final Path socket;
    private final SocketChannel channel;
    private final Predicate<PublicKey> offered;

    UnixSocketAgent(Path socket, Predicate<PublicKey> offered) throws IOException {
        super(null);
        this.socket = socket;
        this.offered = offered;
        this.channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot connect to ssh-agent at " + socket + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected synchronized Buffer request(Buffer buffer) throws IOException {
        int end = buffer.wpos();
        int start = buffer.rpos();
        buffer.wpos(start);
        buffer.putUInt(end - start - 4L);
        buffer.wpos(end);
        ByteBuffer out = ByteBuffer.wrap(buffer.array(), start, end - start);
        while (out.hasRemaining()) {
            channel.write(out);
        }
        ByteBuffer length = ByteBuffer.allocate(4);
        readFully(length);
        int size = length.flip().getInt();
        if (size < 0 || size > MAX_MESSAGE) {
            throw new IOException("ssh-agent at " + socket + " sent a message of " + size + " bytes");
        }
        ByteBuffer body = ByteBuffer.allocate(size);
        readFully(body);
        return new ByteArrayBuffer(body.array());
    }

    private void readFully(ByteBuffer target) throws IOException {
        while (target.hasRemaining()) {
            if (channel.read(target) < 0) {
                throw new IOException("ssh-agent at " + socket + " closed the connection");
            }
        }
    }

    /** The agent's keys this hop may be offered (with IdentitiesOnly: only those of its identity files). */
    @Override
    public Iterable<? extends Map.Entry<PublicKey, String>> getIdentities() throws IOException {
        List<Map.Entry<PublicKey, String>> kept = new ArrayList<>();
        for (Map.Entry<PublicKey, String> e : super.getIdentities()) {
            if (offered.test(e.getKey())) {
                kept.add(e);
            }
        }
        return kept;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            channel.close();
        }
    }

    /** Creates a client per session for the agent at one socket; offers no agent forwarding. */
    static final class Factory implements SshAgentFactory {
        private final Path socket;
        private final java.util.function.Function<Session, Predicate<PublicKey>> filter;

        Factory(Path socket, java.util.function.Function<Session, Predicate<PublicKey>> filter) {
            this.socket = socket;
            this.filter = filter;
        }

        @Override
        public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
            return List.of();
        }

        @Override
        public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
            return new UnixSocketAgent(socket, filter.apply(session));
        }

        @Override
        public SshAgentServer createServer(ConnectionService service) {
            throw new UnsupportedOperationException("sigkit does not forward its ssh-agent");
        }
    }
}
