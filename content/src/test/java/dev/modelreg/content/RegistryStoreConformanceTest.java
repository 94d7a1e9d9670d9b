package dev.modelreg.content;

import dev.modelreg.content.store.RegistryStore;
import dev.modelreg.content.ConformanceAdapter.Push;
import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.conformance.ConformanceStore;
import dev.modelreg.testkit.conformance.ConformanceTarget;
import dev.modelreg.testkit.conformance.TargetConformance;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** testkit's store conformance suite over a repository of the real CNCF distribution registry, a new one per test. */
class RegistryStoreConformanceTest extends TargetConformance {
    @TempDir static Path shared;
    static RegistryFixture registry;
    private static final AtomicInteger REPOSITORIES = new AtomicInteger();

    @BeforeAll
    static void start() {
        registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN, shared.resolve("registry"));
    }

    @AfterAll
    static void stop() {
        if (registry != null) registry.close();
    }

    @Override
    protected ConformanceTarget newStore() {
        return open("conformance/r" + REPOSITORIES.incrementAndGet());
    }

    @Override
    protected ConformanceTarget reopen(ConformanceStore store) {
        return open(((RegistryStore) ((ConformanceAdapter) store).store()).repository());
    }

    private static ConformanceTarget open(String repository) {
        RegistryStore s = RegistryStore.connect(OciReference.parse(registry.host() + "/" + repository), RegistryOptions.defaults());
        return new ConformanceAdapter.Tagged<>(s, Push.PUSHER, null);
    }
}
