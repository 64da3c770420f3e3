/**
 * The documented example of junit-extension/README.md: test classes as a payload developer writes them in their own
 * project, to copy from. Surefire does not run them here (the pom excludes {@code **}{@code /example/**}); the module's
 * {@code ExamplePayloadRunsTests} runs them on the testbed's reference payload and checks what they report, so the
 * example cannot rot.
 */
package io.sigkit.junit.example;
