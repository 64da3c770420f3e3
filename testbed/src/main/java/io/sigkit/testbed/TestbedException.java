package io.sigkit.testbed;

/** A testbed payload could not be started, reached or stopped; the message names the instance and the cause. */
public class TestbedException extends RuntimeException {

    /** An error with its full explanation. */
    public TestbedException(String message) {
        super(message);
    }

    /** An error with its full explanation and its cause. */
    public TestbedException(String message, Throwable cause) {
        super(message, cause);
    }
}
