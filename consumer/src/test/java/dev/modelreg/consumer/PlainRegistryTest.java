package dev.modelreg.consumer;

import dev.modelreg.content.fs.Trees;
import dev.modelreg.testkit.RegistryFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Tests against one plain CNCF registry, started before the class's tests and removed after them. */
abstract class PlainRegistryTest {
    static RegistryFixture registry;
    static Path registryDir;

    @BeforeAll
    static void startRegistry() throws IOException {
        registryDir = Files.createTempDirectory("modelreg-registry-");
        registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN, registryDir);
    }

    @AfterAll
    static void stopRegistry() throws IOException {
        registry.close();
        Trees.delete(registryDir);
    }
}
