package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.bus.SignalResult;
import io.sigkit.bus.Window;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.transport.ExecResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigureChecksTests {
    private static final RequirementCatalog CATALOG = RequirementCatalog.load();
    private static final Duration BUDGET = Duration.ofSeconds(15);
    private static final String INBOX = "/signaling/inbox/sigkit/";
    private static final List<String> ONE_FILE = List.of(INBOX + "sigkit-uplink-ab.txt: no longer in the inbox (moved or deleted by payload_exec)");

    private static SignalResult run(long window, int exit, long millis, String stderr) {
        String cmd = "/usr/bin/payload_exec -u sigkit -e -w " + window + " > /dev/null";
        return new SignalResult("configure", window, cmd, new ExecResult(1, cmd, exit, null, "", stderr, false, false,
                Duration.ofMillis(millis), Duration.ofMillis(millis + 2), false));
    }

    private static ConfigureSeries series(List<SignalResult> runs, List<Integer> payloadExits,
                                          List<ConfigureSeries.UplinkRun> uplinks, SignalResult repeat) {
        List<Duration> samples = payloadExits.stream().map(x -> Duration.ofMillis(30)).toList();
        return ConfigureSeries.of(runs, samples, payloadExits, "", uplinks, "", repeat);
    }

    private static RequirementResult conf002(ConfigureSeries s) {
        return ConfigureChecks.timing(RequirementResult.of(CATALOG.get("SIG-CONF-002")), s, BUDGET, " on sigapi@payload", INBOX);
    }

    private static final List<SignalResult> THREE_FAST = List.of(run(2100000000, 0, 40, ""), run(2100000101, 0, 42, ""),
            run(2100000102, 0, 41, ""));

    @Test
    void a_configure_slow_only_with_an_uplink_fails_conf_002_naming_the_uplink() {
        // GIVEN fast runs with an empty inbox and a 16 s run with a file uplinked (the bus's normal case)
        ConfigureSeries s = series(THREE_FAST, List.of(0, 0, 0),
                List.of(new ConfigureSeries.UplinkRun(run(2100000300, 0, 16_000, ""), ONE_FILE)), null);
        // WHEN SIG-CONF-002 is decided
        RequirementResult r = conf002(s);
        // THEN it fails for that window, with the inbox's state and both times
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-CONF-002] configure for window 2100000300 with 1 uplinked file(s) in "
                + INBOX).contains("ran 16.00 s").contains("with an empty inbox: max 44.0 ms");
    }

    @Test
    void a_pass_reports_the_times_with_an_empty_inbox_and_with_uplinks() {
        ConfigureSeries s = series(THREE_FAST, List.of(0, 0, 0),
                List.of(new ConfigureSeries.UplinkRun(run(2100000300, 0, 60, ""), ONE_FILE)), null);
        RequirementResult r = conf002(s);
        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.PASS);
        assertThat(r.message()).contains("3 configure runs with an empty inbox, each on a window configured for the first time")
                .contains("1 run(s) with 1 uplinked file(s) in " + INBOX).contains("on the payload");
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void a_series_whose_first_run_failed_is_not_a_pass() {
        ConfigureSeries s = series(List.of(run(2100000000, 1, 40, "config missing")), List.of(1), List.of(), null);
        RequirementResult r = conf002(s);
        assertThat(r.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(r.blockedBy()).isEqualTo("SIG-CONF-001");
        assertThat(r.message()).contains("exited 1");
    }

    @Test
    void a_series_with_a_later_failed_run_is_not_a_pass() {
        // GIVEN run #2 (a fresh window) exits 5, and one payload-side run exits 5
        ConfigureSeries s = series(List.of(run(2100000000, 0, 40, ""), run(2100000101, 5, 40, "exists")), List.of(0, 5),
                List.of(new ConfigureSeries.UplinkRun(run(2100000300, 0, 60, ""), ONE_FILE)), null);
        RequirementResult r = conf002(s);
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.message()).contains("window 2100000101 exited 5").contains("run on the payload #2");
    }

    @Test
    void a_failing_run_with_uplinks_blocks_conf_002_and_fails_conf_003_with_both_observations() {
        ConfigureSeries s = series(THREE_FAST, List.of(0, 0, 0),
                List.of(new ConfigureSeries.UplinkRun(run(2100000300, 1, 60, "No such file or directory"), ONE_FILE)), null);
        RequirementResult timing = conf002(s);
        assertThat(timing.outcome()).isEqualTo(Outcome.SKIPPED);
        assertThat(timing.blockedBy()).isEqualTo("SIG-CONF-003");
        RequirementResult withUplinks = ConfigureChecks.withUplinks(RequirementResult.of(CATALOG.get("SIG-CONF-003")), s,
                "sigapi@payload", INBOX);
        assertThat(withUplinks.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(withUplinks.message()).contains("window 2100000300 (configured for the first time)")
                .contains("exited 1").contains("with 1 uplinked file(s) in " + INBOX)
                .contains("with an empty inbox, configure for window 2100000000 exited 0");
    }

    @Test
    void a_configure_that_works_once_per_window_passes_conf_001_with_a_warning() {
        // GIVEN configure exits 0 for a fresh window and 5 when the same window is configured again
        ConfigureSeries s = series(THREE_FAST, List.of(0, 0, 0),
                List.of(new ConfigureSeries.UplinkRun(run(2100000300, 0, 60, ""), ONE_FILE)),
                run(2100000000, 5, 30, "work directory exists"));
        // WHEN SIG-CONF-001, -002 and -003 are decided
        RequirementResult exits = ConfigureChecks.exitsZero(RequirementResult.of(CATALOG.get("SIG-CONF-001")), s,
                "sigapi@payload", Duration.ofSeconds(20), "/signaling/window_configs/2100000000.json");
        RequirementResult timing = conf002(s);
        RequirementResult withUplinks = ConfigureChecks.withUplinks(RequirementResult.of(CATALOG.get("SIG-CONF-003")), s,
                "sigapi@payload", INBOX);
        // THEN all pass; the repeat is a warning of SIG-CONF-001 that blames nothing else
        assertThat(exits.outcome()).isEqualTo(Outcome.PASS);
        assertThat(exits.message()).contains("configuring it a second time exited 5");
        assertThat(exits.warnings()).singleElement().asString().contains("does not require configure to be repeatable");
        assertThat(timing.outcome()).isEqualTo(Outcome.PASS);
        assertThat(withUplinks.outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void every_timed_configure_has_its_own_window_and_every_window_is_in_the_plan() {
        WindowPlan plan = new WindowPlan(Window.RESERVED_FIRST, "ab12cd34", "sigkit", "sigkit-eab12cd34", null, 5);
        List<Window> series = plan.configureSeriesWindows(Instant.EPOCH);
        assertThat(series).hasSize(15);
        assertThat(new HashSet<>(series.stream().map(Window::id).toList())).hasSize(15);
        assertThat(plan.ids()).containsAll(series.stream().map(Window::id).toList())
                .contains(plan.argumentOrder(Instant.EPOCH).id()).doesNotHaveDuplicates();
        assertThat(series.get(0).id()).as("run #1 is the main window, configured once before its start")
                .isEqualTo(plan.main(Instant.EPOCH).id());
        assertThat(plan.ids()).allMatch(Window::isReserved);
    }
}
