package io.sigkit.catalog;

/**
 * How much a requirement weighs in the verdict.
 */
public enum Level {
    /** An obligation: any REQUIRED that is not PASS means the payload is not certified. */
    REQUIRED,
    /** What a payload needs to survive real windows: a failure is a warning ({@code --strict} makes it fail). */
    RECOMMENDED,
    /** Measured and reported, no verdict. */
    INFO
}
