package io.sigkit.check;

import io.sigkit.bus.Window;
import io.sigkit.schemas.SchemaId;
import io.sigkit.schemas.SchemaValidator;
import io.sigkit.schemas.ValidationReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every window config the run places, placed once (SIG-CFG-001, SIG-CFG-002), with what went wrong if anything. */
public final class Placement {
    private final Map<String, CheckContext.PlacedOrError> placed;
    private final List<ValidationReport> validations;

    private Placement(Map<String, CheckContext.PlacedOrError> placed, List<ValidationReport> validations) {
        this.placed = placed;
        this.validations = validations;
    }

    /** A placement as given (tests: canned window configs). */
    static Placement of(Map<String, CheckContext.PlacedOrError> placed, List<ValidationReport> validations) {
        return new Placement(new LinkedHashMap<>(placed), List.copyOf(validations));
    }

    static Placement place(CheckContext ctx) {
        WindowPlan plan = ctx.plan();
        Instant end = Instant.now().plus(ctx.options().windowLength());
        SchemaValidator validator = SchemaValidator.of(SchemaId.WINDOW_CONFIG_V1);
        Map<String, CheckContext.PlacedOrError> placed = new LinkedHashMap<>();
        List<ValidationReport> validations = new ArrayList<>();
        List<Map.Entry<String, Window>> valid = new ArrayList<>(List.of(
                Map.entry("main", plan.main(end)),
                Map.entry("extra-keys", plan.extraKeys(end)),
                Map.entry("wide", plan.wide(end)),
                Map.entry("control", plan.control(end)),
                Map.entry("diagnostic", plan.diagnostic(end)),
                Map.entry("empty-inbox", plan.emptyInbox(end))));
        valid.add(Map.entry("argument-order", plan.argumentOrder(end)));
        for (Window w : plan.configureSeriesWindows(end)) {
            if (w.id() != plan.main(end).id()) {
                valid.add(Map.entry("configure-" + w.id(), w));
            }
        }
        if (ctx.options().linkControl() != null) {
            valid.add(Map.entry("link-drop", plan.linkDrop(end)));
            valid.add(Map.entry("link-control", plan.linkControl(end)));
        }
        for (Map.Entry<String, Window> e : valid) {
            Window w = e.getValue();
            validations.add(validator.validate(w.config(), w.configPath()));
            placed.put(e.getKey(), attempt(w, () -> ctx.bus().placeWindowConfig(w)));
        }
        Window malformed = plan.malformed(end);
        placed.put("malformed", attempt(malformed,
                () -> ctx.bus().placeRawWindowConfig(malformed.id(), WindowPlan.malformedConfigBytes())));
        Window v2 = plan.unsupportedVersion(end);
        placed.put("version-2", attempt(v2,
                () -> ctx.bus().placeRawWindowConfig(v2.id(), WindowPlan.unsupportedVersionBytes())));
        return new Placement(placed, validations);
    }

    private static CheckContext.PlacedOrError attempt(Window w, java.util.function.Supplier<io.sigkit.bus.PlacedFile> action) {
        try {
            return new CheckContext.PlacedOrError(w, action.get(), null);
        } catch (RuntimeException e) {
            return new CheckContext.PlacedOrError(w, null, e.getMessage());
        }
    }

    public CheckContext.PlacedOrError get(String key) {
        return placed.get(key);
    }

    public Map<String, CheckContext.PlacedOrError> all() {
        return Map.copyOf(placed);
    }

    /** The schema validation of every valid config the kit wrote. */
    public List<ValidationReport> validations() {
        return List.copyOf(validations);
    }
}
