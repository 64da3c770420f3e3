package io.sigkit.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CleanupManifestTests {

    @Test
    void a_target_created_again_after_its_removal_is_pending_again() {
        CleanupManifest m = new CleanupManifest();
        m.created(CleanupItem.Kind.DIRECTORY, "/signaling/inbox/sigkit");
        m.resolved(CleanupItem.Kind.DIRECTORY, "/signaling/inbox/sigkit", true, "removed by SIG-FS-005");
        assertThat(m.pending()).isEmpty();
        m.created(CleanupItem.Kind.DIRECTORY, "/signaling/inbox/sigkit");
        assertThat(m.pending()).extracting(CleanupItem::target).containsExactly("/signaling/inbox/sigkit");
        assertThat(m.complete()).isFalse();
    }

    @Test
    void a_leftover_of_an_earlier_run_is_reported_as_such() {
        CleanupManifest m = new CleanupManifest();
        m.leftover(CleanupItem.Kind.FILE, "/signaling/window_configs/2100000001.json");
        m.resolved(CleanupItem.Kind.FILE, "/signaling/window_configs/2100000001.json", true, "removed by the kit");
        assertThat(m.items()).singleElement().satisfies(i -> {
            assertThat(i.origin()).isEqualTo("earlier run");
            assertThat(i.removed()).isTrue();
        });
    }
}
