package dev.modelreg.consumer;

import dev.modelreg.content.fs.Trees;
import dev.modelreg.testkit.RegistryFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Tests against one plain CNCF registry per test class, started before the class's tests and removed after them.
 * Keyed by the concrete class, not held in one static field of this base class that every subclass would share:
 * classes run in parallel, and one class's end would stop the registry another is using.
 */
abstract class PlainRegistryTest {
    private record Started(RegistryFixture registry, Path dir) {}

    private static final Map<Class<?>, Started> STARTED = new ConcurrentHashMap<>();

    /** This class's registry (set before each test). */
    RegistryFixture registry;

    @BeforeAll
    static void startRegistry(TestInfo info) throws IOException {
        Path dir = Files.createTempDirectory("modelreg-registry-");
        STARTED.put(info.getTestClass().orElseThrow(), new Started(RegistryFixture.start(RegistryFixture.Mode.PLAIN, dir), dir));
    }

    @BeforeEach
    void bindRegistry() {
        registry = STARTED.get(getClass()).registry();
    }

    @AfterAll
    static void stopRegistry(TestInfo info) throws IOException {
        Started s = STARTED.remove(info.getTestClass().orElseThrow());
        if (s == null) return;
        s.registry().close();
        Trees.delete(s.dir());
    }
}
