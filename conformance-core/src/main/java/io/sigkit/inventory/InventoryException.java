package io.sigkit.inventory;

/**
 * An inventory that cannot be read, is not JSON or YAML, breaks inventory.v1, or names two targets alike: its message
 * is one line naming the file and, where there is one, the JSON pointer of the mistake.
 */
public final class InventoryException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the file and what is wrong */
    public InventoryException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the file and what is wrong
     * @param cause the underlying error
     */
    public InventoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
