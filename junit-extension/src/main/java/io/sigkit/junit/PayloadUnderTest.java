package io.sigkit.junit;

import io.sigkit.run.RunOptions;
import io.sigkit.transport.ConnectionSettings;

/**
 * A payload a test class starts itself, e.g. a container ({@code io.sigkit.testcontainers.SignalingPayloadContainer}
 * implements it): declared in a static field annotated {@link SignalingPayload}, started by
 * {@link SignalingConformance} before the class's first test and stopped after its last.
 */
public interface PayloadUnderTest {

    /** Starts the payload; returns once it answers SSH logins. */
    void start();

    /** Stops the payload and removes what starting it made. */
    void stop();

    /** How the bus reaches the started payload: target, key and host keys. */
    ConnectionSettings connectionSettings();

    /**
     * The options of a certification of the started payload: {@link #connectionSettings()} and what only the payload
     * can bring (a link control, its shutdown bound); the class's settings are applied on top.
     */
    RunOptions.Builder runOptions();
}
