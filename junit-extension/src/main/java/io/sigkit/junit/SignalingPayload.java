package io.sigkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the static {@link PayloadUnderTest} field of a {@link SignalingConformance} class: the payload its tests and
 * its certification run against, started once before the class's first test and stopped after its last. With it, the
 * class needs no {@code sigkit.target}, key or known_hosts settings; the other settings (tiers, window length,
 * tasking user, include/exclude) apply as usual.
 *
 * <pre>{@code
 * @SignalingConformance(allowClockSet = true, allowDestructive = true)
 * class OurPayloadConformanceTests extends SignalingApiConformanceTests {
 *     @SignalingPayload
 *     static SignalingPayloadContainer payload = new SignalingPayloadContainer("localhost/our-payload:dev");
 * }
 * }</pre>
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SignalingPayload {
}
