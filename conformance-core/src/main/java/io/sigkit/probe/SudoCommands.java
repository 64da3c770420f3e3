package io.sigkit.probe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exact privileged command lines the bus runs (and the kit's tiers run), as {@code sudo -n -l} is asked about
 * them: a sudo rule restricted to arguments ({@code /usr/bin/date -s *}, {@code /sbin/shutdown -h now}) matches
 * these and not the bare command name.
 *
 * <p>Kept in line with the bus's {@code SatelliteBus.setClock} ({@code date -s "@$(date +%s)"},
 * {@code timedatectl set-time "YYYY-MM-DD HH:MM:SS"}) and the shutdown of SIG-END-001 ({@code shutdown -h now});
 * {@code hwclock --hctosys} sets the system clock from the hardware clock (the bus does not use it).
 */
public final class SudoCommands {
    /**
     * Probe key to command line (kit-written, constant: the clock value is a fixed, well-formed example): the sudo
     * probes of the catalog's probes document whose id starts with {@code exact-}.
     */
    public static final Map<String, String> EXACT;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        for (ProbeDocument.SudoProbe p : ProbeDocument.catalog().sudo()) {
            if (p.id().startsWith("exact-")) {
                m.put(p.id(), p.line());
            }
        }
        EXACT = java.util.Collections.unmodifiableMap(m);
    }

    private SudoCommands() {
    }
}
