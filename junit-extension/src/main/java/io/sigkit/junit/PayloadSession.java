package io.sigkit.junit;

import io.sigkit.run.Certification;
import io.sigkit.run.ProgressListener;
import io.sigkit.run.RunOptions;
import io.sigkit.run.RunResult;
import io.sigkit.check.RequirementResult;
import io.sigkit.transport.PayloadConnection;
import io.sigkit.transport.TransportException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one {@link SignalingConformance} class shares: its settings (or why they are invalid), its one SSH connection
 * (opened on first need, closed by JUnit with the class's Store) and the certification run, run at most once.
 *
 * <p>Implements both {@link AutoCloseable} (closed by JUnit 5.13+ and 6) and the older
 * {@link ExtensionContext.Store.CloseableResource} (closed by JUnit 5.10 to 5.12); closing twice is harmless.
 */
@SuppressWarnings("deprecation") // Store.CloseableResource: the only way JUnit 5.10-5.12 close Store values
final class PayloadSession implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    private static final Logger LOG = LoggerFactory.getLogger(PayloadSession.class);

    /** Failures that mean "nobody answers there", which {@code disabledWhenUnreachable} may turn into a skip. */
    static final Set<TransportException.Kind> UNREACHABLE =
            EnumSet.of(TransportException.Kind.UNREACHABLE, TransportException.Kind.TIMEOUT);

    private final SigkitSettings settings;
    private final ExtensionConfigurationException misconfiguration;
    private final PayloadUnderTest payload;
    private boolean payloadStarted;
    private PayloadConnection connection;
    private TransportException connectFailure;
    private RunResult certification;
    private boolean closed;

    private PayloadSession(SigkitSettings settings, ExtensionConfigurationException misconfiguration,
                           PayloadUnderTest payload) {
        this.settings = settings;
        this.misconfiguration = misconfiguration;
        this.payload = payload;
    }

    /** Resolves the settings now; a misconfiguration is kept and thrown by {@link #settings()}. */
    static PayloadSession of(SettingsResolver resolver) {
        try {
            return new PayloadSession(resolver.resolve(), null, null);
        } catch (ExtensionConfigurationException e) {
            return new PayloadSession(null, e, null);
        }
    }

    /**
     * A session whose payload is the class's {@link SignalingPayload} field {@code fieldName}: started on first need,
     * stopped when the session closes.
     */
    static PayloadSession of(SettingsResolver resolver, String fieldName, PayloadUnderTest payload) {
        try {
            return new PayloadSession(resolver.resolve(Optional.of(fieldName)), null, payload);
        } catch (ExtensionConfigurationException e) {
            return new PayloadSession(null, e, null);
        }
    }

    /** The payload's SSH login: the started {@link SignalingPayload}'s, else the settings'. */
    private Object target() {
        if (payload != null && payloadStarted) {
            try {
                return payload.connectionSettings().target();
            } catch (RuntimeException e) {
                return settings().targetSource();
            }
        }
        return settings().target();
    }

    /** A session that cannot run: its class is misconfigured (e.g. its {@link SignalingPayload} field). */
    static PayloadSession misconfigured(ExtensionConfigurationException e) {
        return new PayloadSession(null, e, null);
    }

    /** Starts the class's {@link SignalingPayload}, once; a failure to start fails the class, naming it. */
    private void startPayload() {
        if (payload == null || payloadStarted) {
            return;
        }
        payloadStarted = true;
        LOG.info("sigkit: starting {}", settings().targetSource());
        payload.start();
    }

    /** How to reach the payload: the {@link SignalingPayload}'s settings, else the resolved ones. */
    private io.sigkit.transport.ConnectionSettings connectionSettings() {
        if (payload != null) {
            startPayload();
            return payload.connectionSettings();
        }
        return settings().connectionSettings();
    }

    /** Whether the settings resolved. */
    boolean configured() {
        return misconfiguration == null;
    }

    /** The settings; throws the misconfiguration if they did not resolve. */
    SigkitSettings settings() {
        if (misconfiguration != null) {
            throw misconfiguration;
        }
        return settings;
    }

    /**
     * Connects unless already connected (or already failed), and says why the payload could not be reached, if so.
     *
     * @return the failure to connect, if any
     */
    synchronized Optional<TransportException> tryConnect() {
        if (connection == null && connectFailure == null) {
            if (closed) {
                throw new IllegalStateException("sigkit: the connection to " + target()
                        + " was already closed with its test class");
            }
            try {
                connection = PayloadConnection.open(connectionSettings());
            } catch (TransportException e) {
                LOG.debug("connection to {} failed: {}", target(), e.getMessage());
                connectFailure = e;
            }
        }
        return Optional.ofNullable(connectFailure);
    }

    /** The class's connection; a failure to connect is thrown naming the target and the setting it came from. */
    synchronized PayloadConnection connection() {
        Optional<TransportException> failure = tryConnect();
        if (failure.isPresent()) {
            throw cannotConnect(failure.get());
        }
        return connection;
    }

    /** Why the payload could not be reached, for a skip: {@code disabledWhenUnreachable} and an unreachable target. */
    String unreachableReason(TransportException failure) {
        return "sigkit: payload " + target() + " is unreachable (" + failure.getMessage() + ") and "
                + Setting.DISABLED_WHEN_UNREACHABLE.key() + " is true";
    }

    TransportException cannotConnect(TransportException failure) {
        String hint = UNREACHABLE.contains(failure.kind())
                ? " Is the payload up and reachable from here? To skip these tests while it is not, set "
                + Setting.DISABLED_WHEN_UNREACHABLE.key() + "=true."
                : "";
        return new TransportException(failure.kind(), "sigkit: cannot connect to payload " + target()
                + " (" + Setting.TARGET.key() + " from " + settings().targetSource() + "): " + failure.getMessage()
                + hint, failure);
    }

    /**
     * The certification of this class's payload, run on first call with the settings' options as changed by
     * {@code customize}; later calls return the same result.
     */
    synchronized RunResult certification(UnaryOperator<RunOptions.Builder> customize) {
        if (certification == null) {
            RunOptions.Builder base;
            if (payload != null) {
                startPayload();
                base = settings().applyTo(payload.runOptions());
            } else {
                base = settings().runOptions();
            }
            RunOptions options = customize.apply(base).build();
            LOG.info("sigkit: certifying {} ({} in this JUnit run)", options.connection().target(),
                    options.include().isEmpty() ? "every requirement" : "only " + options.include());
            certification = Certification.run(options, new Progress());
        }
        return certification;
    }

    @Override
    public synchronized void close() {
        closed = true;
        try {
            if (connection != null) {
                PayloadConnection c = connection;
                connection = null;
                c.close();
            }
        } finally {
            if (payload != null && payloadStarted) {
                payloadStarted = false;
                payload.stop();
            }
        }
    }

    /** Logs the run's progress at debug level; results reach the user only as tests. */
    private static final class Progress implements ProgressListener {
        @Override
        public void step(String description) {
            LOG.debug("sigkit: {}", description);
        }

        @Override
        public void requirementFinished(RequirementResult result, Duration elapsed) {
            LOG.debug("sigkit: {} evaluated after {} ms", result.id(), elapsed.toMillis());
        }
    }
}
