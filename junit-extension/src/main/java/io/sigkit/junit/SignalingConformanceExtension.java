package io.sigkit.junit;

import io.sigkit.bus.SatelliteBus;
import io.sigkit.bus.Window;
import io.sigkit.run.RunOptions;
import io.sigkit.run.RunResult;
import io.sigkit.transport.PayloadConnection;
import io.sigkit.transport.TransportException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Backs {@link SignalingConformance}: resolves the settings, keeps the class's {@link PayloadSession} (one connection,
 * one certification run) in the class's Store, injects {@link PayloadConnection}, {@link SatelliteBus},
 * {@link Window} and {@link RunResult} parameters, and publishes each requirement's evidence and timings as report
 * entries of its test. For a {@link SignalingApiFleetConformanceTests} class, it keeps the class's {@link FleetSession}
 * instead (the inventory, each target's settings and certification) and gives it to the class's instances.
 */
final class SignalingConformanceExtension
        implements ExecutionCondition, BeforeAllCallback, ParameterResolver, InvocationInterceptor,
        TestInstancePostProcessor {

    static final Namespace NAMESPACE = Namespace.create(SignalingConformanceExtension.class);

    private static final Set<Class<?>> INJECTED = Set.of(PayloadConnection.class, SatelliteBus.class, Window.class,
            RunResult.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isPresent()) {
            return ConditionEvaluationResult.enabled("sigkit decides per class");
        }
        if (isFleet(context)) {
            return ConditionEvaluationResult.enabled("sigkit: a fleet decides per target");
        }
        PayloadSession session = session(context);
        if (!session.configured()) {
            // reported by beforeAll as an ExtensionConfigurationException, not wrapped as a condition failure
            return ConditionEvaluationResult.enabled("sigkit: settings are reported before the class runs");
        }
        if (!session.settings().disabledWhenUnreachable()) {
            return ConditionEvaluationResult.enabled("sigkit: " + Setting.DISABLED_WHEN_UNREACHABLE.key()
                    + " is false: an unreachable payload fails the class");
        }
        Optional<TransportException> failure = session.tryConnect();
        if (failure.isPresent() && PayloadSession.UNREACHABLE.contains(failure.get().kind())) {
            return ConditionEvaluationResult.disabled(session.unreachableReason(failure.get()));
        }
        return ConditionEvaluationResult.enabled("sigkit: payload " + session.settings().target() + " answers");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (isFleet(context)) {
            fleet(context).requireInventory(); // an inventory that cannot be read fails the class, naming it
            return;
        }
        PayloadSession session = session(context);
        session.settings(); // a misconfiguration fails the class here, naming the setting
        session.connection(); // so does a payload that cannot be reached, naming it
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return INJECTED.contains(parameterContext.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        if (isFleet(extensionContext)) {
            throw new ExtensionConfigurationException("sigkit: " + extensionContext.getRequiredTestClass().getName()
                    + " certifies a fleet: a " + type.getSimpleName() + " parameter belongs to a class that certifies one"
                    + " payload (a @SignalingConformance class with sigkit.target)");
        }
        PayloadSession session = session(extensionContext);
        if (type == PayloadConnection.class) {
            return session.connection();
        }
        if (type == RunResult.class) {
            return certification(session, extensionContext);
        }
        BusScope scope = extensionContext.getStore(NAMESPACE).getOrComputeIfAbsent(BusScope.class,
                k -> new BusScope(session::connection, session.settings()), BusScope.class);
        if (type == SatelliteBus.class) {
            return scope.bus();
        }
        return scope.newWindow();
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext invocationContext,
                                     ExtensionContext extensionContext) throws Throwable {
        Object executable = invocationContext.getExecutable();
        if (executable instanceof FleetSession.TargetRun run) {
            // a fleet's target: its run's entry goes on its container
            extensionContext.getParent().orElse(extensionContext).publishReportEntry(ReportEntries.forRun(run.run()));
            executable = run.test();
        }
        if (executable instanceof RequirementCheck check) {
            ReportEntries.forRequirement(check.result()).forEach(extensionContext::publishReportEntry);
        }
        invocation.proceed();
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) {
        if (testInstance instanceof SignalingApiFleetConformanceTests tests) {
            tests.fleet = fleet(context);
        }
    }

    private static RunResult certification(PayloadSession session, ExtensionContext context) {
        Optional<Object> instance = context.getTestInstance();
        UnaryOperator<RunOptions.Builder> customize = instance.isPresent()
                && instance.get() instanceof SignalingApiConformanceTests tests
                ? tests::customize : UnaryOperator.identity();
        RunResult result = session.certification(customize);
        context.publishReportEntry(ReportEntries.forRun(result));
        return result;
    }

    /** The outermost test class carrying {@link SignalingConformance}, and its annotation. */
    private record Owner(ExtensionContext context, Optional<SignalingConformance> annotation) {
        SettingsResolver resolver() {
            return resolver(null);
        }

        /** The resolver of a fleet's target, whose inventory settings are {@code inventory}. */
        SettingsResolver resolver(InventorySettings inventory) {
            return new SettingsResolver(annotation, context.getRequiredTestClass().getName(),
                    context::getConfigurationParameter, System::getenv, Path.of(System.getProperty("user.home")),
                    inventory);
        }
    }

    private static Owner owner(ExtensionContext context) {
        ExtensionContext classContext = null;
        Optional<SignalingConformance> annotation = Optional.empty();
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            if (c.get().getElement().filter(Class.class::isInstance).isEmpty()) {
                continue;
            }
            Optional<SignalingConformance> found = AnnotationSupport.findAnnotation(c.get().getRequiredTestClass(),
                    SignalingConformance.class);
            if (found.isPresent() || classContext == null) {
                classContext = c.get();
                annotation = found.isPresent() ? found : annotation;
            }
        }
        if (classContext == null) {
            throw new IllegalStateException("sigkit: @SignalingConformance works on test classes; "
                    + context.getUniqueId() + " is not in one");
        }
        return new Owner(classContext, annotation);
    }

    /** Whether the context is in a {@link SignalingApiFleetConformanceTests} class. */
    private static boolean isFleet(ExtensionContext context) {
        return SignalingApiFleetConformanceTests.class.isAssignableFrom(owner(context).context().getRequiredTestClass());
    }

    /** The fleet of a {@link SignalingApiFleetConformanceTests} class, its inventory read on first use. */
    static FleetSession fleet(ExtensionContext context) {
        Owner owner = owner(context);
        return owner.context().getStore(NAMESPACE).getOrComputeIfAbsent(FleetSession.class,
                k -> FleetSession.of(owner.resolver(), owner::resolver), FleetSession.class);
    }

    /**
     * The session of the outermost test class carrying {@link SignalingConformance} (so {@code @Nested} classes share
     * their enclosing class's), created with its settings resolved on first use.
     */
    static PayloadSession session(ExtensionContext context) {
        Owner found = owner(context);
        ExtensionContext owner = found.context();
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(PayloadSession.class, k -> {
            SettingsResolver resolver = found.resolver();
            List<Field> fields = AnnotationSupport.findAnnotatedFields(owner.getRequiredTestClass(),
                    SignalingPayload.class);
            if (fields.isEmpty()) {
                return PayloadSession.of(resolver);
            }
            try {
                Field field = payloadField(owner.getRequiredTestClass(), fields);
                return PayloadSession.of(resolver, field.getDeclaringClass().getSimpleName() + "." + field.getName(),
                        payload(field));
            } catch (ExtensionConfigurationException e) {
                return PayloadSession.misconfigured(e);
            }
        }, PayloadSession.class);
    }

    /** The one static {@link SignalingPayload} field of the class, or why the class's declaration is wrong. */
    private static Field payloadField(Class<?> testClass, List<Field> fields) {
        if (fields.size() > 1) {
            throw new ExtensionConfigurationException("sigkit: " + testClass.getName() + " has " + fields.size()
                    + " @SignalingPayload fields (" + fields.stream().map(Field::getName).toList()
                    + "): a class certifies one payload");
        }
        Field field = fields.get(0);
        String name = field.getDeclaringClass().getSimpleName() + "." + field.getName();
        if (!Modifier.isStatic(field.getModifiers())) {
            throw new ExtensionConfigurationException("sigkit: @SignalingPayload field " + name + " must be static:"
                    + " the payload is started once for the class");
        }
        if (!PayloadUnderTest.class.isAssignableFrom(field.getType())) {
            throw new ExtensionConfigurationException("sigkit: @SignalingPayload field " + name + " is a "
                    + field.getType().getName() + ", not a " + PayloadUnderTest.class.getName()
                    + " (e.g. io.sigkit.testcontainers.SignalingPayloadContainer)");
        }
        return field;
    }

    private static PayloadUnderTest payload(Field field) {
        String name = field.getDeclaringClass().getSimpleName() + "." + field.getName();
        Object value = ReflectionSupport.tryToReadFieldValue(field, null).getOrThrow(e ->
                new ExtensionConfigurationException("sigkit: cannot read @SignalingPayload field " + name + ": "
                        + e.getMessage(), e));
        if (value == null) {
            throw new ExtensionConfigurationException("sigkit: @SignalingPayload field " + name + " is null");
        }
        return (PayloadUnderTest) value;
    }
}
