package io.sigkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Connects a test class to a payload under certification: its tests may declare {@code PayloadConnection},
 * {@code SatelliteBus}, {@code Window} and {@code RunResult} parameters, and {@link SignalingApiConformanceTests}
 * subclasses run the whole requirement catalog as tests.
 *
 * <p>Every setting has a key ({@code sigkit.target}), an environment variable ({@code SIGKIT_TARGET}) and an
 * attribute of this annotation ({@code target}). A value is taken from the first of these that sets it:
 * <ol>
 *   <li>this annotation's attribute (the class's own, else the nearest superclass's): the most specific place;</li>
 *   <li>the JUnit configuration parameter {@code sigkit.*}, as JUnit resolves it: set on the launcher (Surefire's
 *       {@code configurationParameters}, the console launcher's {@code --config}), else a JVM system property
 *       ({@code -Dsigkit.target=...}), else {@code junit-platform.properties} on the test class path;</li>
 *   <li>the environment variable {@code SIGKIT_*};</li>
 *   <li>the default.</li>
 * </ol>
 * An attribute left at its default ({@code ""}, {@code 0}, {@code {}} or {@code false}) sets nothing, so a boolean
 * attribute can switch a setting on but never off.
 *
 * <p>The class (with its {@code @Nested} classes) shares one SSH connection, opened before its first test and closed
 * by JUnit after its last. A setting that is missing or malformed fails the class with an
 * {@link org.junit.jupiter.api.extension.ExtensionConfigurationException} naming the setting; a payload that cannot
 * be reached fails it naming the address, unless {@link #disabledWhenUnreachable()} is set, and then the class is
 * skipped with the reason.
 *
 * <pre>{@code
 * @SignalingConformance(taskingUser = "ops-team")   // target and key come from junit-platform.properties or SIGKIT_*
 * class PayloadTests {
 *     @Test
 *     void configureIsQuick(SatelliteBus bus, Window window) {
 *         bus.placeWindowConfig(window);
 *         assertThat(bus.configure(window)).succeededWithin(Duration.ofSeconds(15));
 *     }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(SignalingConformanceExtension.class)
public @interface SignalingConformance {

    /** {@code sigkit.target}: the payload's SSH login, {@code user@host[:port]} or {@code ssh://user@host[:port]}. */
    String target() default "";

    /** {@code sigkit.identity}: private key files to offer, comma-separated ({@code ~/} is the home directory). */
    String identity() default "";

    /** {@code sigkit.agent}: offer the keys of the ssh-agent named by {@code SSH_AUTH_SOCK}. */
    boolean agent() default false;

    /** {@code sigkit.passphraseEnv}: the environment variable holding the passphrase of encrypted key files. */
    String passphraseEnv() default "";

    /** {@code sigkit.passwordEnv}: the environment variable holding a password, for password authentication. */
    String passwordEnv() default "";

    /** {@code sigkit.knownHosts}: the known_hosts file host keys are checked against (default ~/.ssh/known_hosts). */
    String knownHosts() default "";

    /** {@code sigkit.hostKeyPolicy}: {@code strict} (default), {@code accept-new} or {@code ignore}. */
    String hostKeyPolicy() default "";

    /**
     * {@code sigkit.connectTimeoutSeconds}: bound on the TCP connect, SSH banner and key exchange together, and on
     * authenticating (default 10).
     */
    int connectTimeoutSeconds() default 0;

    /** {@code sigkit.taskingUser}: the Tasking API user the windows belong to (default {@code sigkit}). */
    String taskingUser() default "";

    /** {@code sigkit.taskingParameters}: a JSON object, the windows' {@code tasking_parameters}. */
    String taskingParameters() default "";

    /**
     * {@code sigkit.windowSeconds}: how far in the future windows end: the certification's test windows (default 5)
     * and injected {@code Window} parameters (default 60).
     */
    int windowSeconds() default 0;

    /** {@code sigkit.repetitions}: how many times the certification times configure (default 3). */
    int repetitions() default 0;

    /** {@code sigkit.strict}: a RECOMMENDED requirement that is not met fails its test (default: it is aborted). */
    boolean strict() default false;

    /**
     * {@code sigkit.waivers}: a waivers file (JSON or YAML, waivers.v1, as {@code sigkit certify --waivers}): a FAIL
     * of a waived requirement becomes WAIVED, and its test is aborted with the waiver in its message instead of
     * failing. An unreadable or invalid file, or an unknown requirement ID, fails the class.
     */
    String waivers() default "";

    /** {@code sigkit.include}: requirement IDs or tags to certify, comma-separated (default: all). */
    String[] include() default {};

    /** {@code sigkit.exclude}: requirement IDs or tags not to certify, comma-separated. */
    String[] exclude() default {};

    /**
     * {@code sigkit.probes}: probes files (probes.v1), comma-separated: each probe is a check of its own, reported
     * under the file's requirement IDs (see {@code sigkit validate}).
     */
    String[] probes() default {};

    /** {@code sigkit.allowClockSet}: the reversible tier: SIG-TIME-002 sets the clock to the payload's own time. */
    boolean allowClockSet() default false;

    /** {@code sigkit.allowDestructive}: the destructive tier: SIG-END-001 shuts the payload down. */
    boolean allowDestructive() default false;

    /**
     * {@code sigkit.disabledWhenUnreachable}: skip the class, with the reason, when the payload does not answer
     * (connection refused, no route, unknown host, no answer in time) instead of failing it. A payload that answers
     * but refuses the key or presents an unknown host key still fails the class.
     */
    boolean disabledWhenUnreachable() default false;

    /**
     * {@code sigkit.profile}: the catalog profile to certify: {@code default} (the Signaling API), or {@code delivery},
     * which adds SIG-DLV (the OORT agent a flight model needs: answering on port 2005, set to start at boot).
     */
    String profile() default "";

    /**
     * {@code sigkit.inventory}: in a {@link SignalingApiFleetConformanceTests} class, the inventory of the payloads
     * to certify (inventory.v1, JSON or YAML, the same file as {@code sigkit certify --inventory}); each target's
     * settings come from it, and the settings set here (or as configuration parameters or environment variables)
     * replace them for every target. Other classes do not read it.
     */
    String inventory() default "";

    /**
     * {@code sigkit.parallel}: in a {@link SignalingApiFleetConformanceTests} class, how many targets are certified at
     * a time, 1 to 32 (default: every target, at most 32), as {@code sigkit certify --parallel}.
     */
    int parallel() default 0;
}
