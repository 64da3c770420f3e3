package io.sigkit.testbed.junit;

import io.sigkit.testbed.LoginShell;
import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.SshServerKind;
import io.sigkit.testbed.SudoMode;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Declares the testbed payload a test method needs, as a {@link RunningPayload} parameter that is started before the
 * test and closed after it: {@code void configures(@Payload(shell = LoginShell.DASH) RunningPayload payload)}.
 * Where the testbed cannot run, the test is skipped, or fails on CI, as with {@link RequiresTestbed}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(PayloadParameterResolver.class)
public @interface Payload {

    /** The signaling user's login shell. */
    LoginShell shell() default LoginShell.BASH;

    /** The SSH server. */
    SshServerKind server() default SshServerKind.OPENSSH;

    /** Whether the server offers SFTP. */
    boolean sftp() default true;

    /** The signaling user's sudo rights. */
    SudoMode sudo() default SudoMode.PASSWORDLESS;

    /** A broken variant to install instead of the reference payload; empty for the reference. */
    String variant() default "";

    /** Whether the payload gets its own network link. */
    boolean netns() default false;

    /** The signaling user. */
    String user() default PayloadSpec.DEFAULT_USER;
}
