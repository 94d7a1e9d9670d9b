package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.modelreg.consumer.ConsumerException;
import dev.modelreg.consumer.ModelReg;
import dev.modelreg.consumer.Results.CopyResult;
import dev.modelreg.consumer.Settings;
import dev.modelreg.content.ContentException;
import dev.modelreg.publisher.PublishException;
import dev.modelreg.publisher.Push;
import dev.modelreg.spec.BootstrapConfig;
import dev.modelreg.spec.ModelregException;
import dev.modelreg.spec.Reference;
import dev.modelreg.spec.SourceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example runs against the installed artifacts, and the README shows exactly its code. */
class PublishAndConsumeTest {
    static final Path REPO = Path.of("../..").toAbsolutePath().normalize();

    @TempDir Path tmp;

    @Test
    void publishesAndConsumesTheExampleModels() throws Exception {
        CopyResult copied = PublishAndConsume.run(REPO.resolve("examples/models"), tmp);
        assertEquals("example/ex-gwf-twri01", copied.model());
        assertTrue(Files.isRegularFile(tmp.resolve("twri01/mfsim.nam")));
        assertEquals(Files.readString(REPO.resolve("examples/models/ex-gwf-twri01/mfsim.nam")),
                Files.readString(tmp.resolve("twri01/mfsim.nam")));
        assertTrue(Files.isRegularFile(tmp.resolve("pinned/mfsim.nam")));
    }

    @Test
    void failuresCarryTheirKind() throws Exception {
        PublishAndConsume.run(REPO.resolve("examples/models"), tmp);
        SourceConfig source = SourceConfig.builder("example")
                .oci(Reference.parseRepository("oci-layout:" + tmp.resolve("layout"))).refs(List.of("demo")).build();
        ModelReg reg = new ModelReg(new BootstrapConfig(Map.of("example", source)),
                Settings.fromEnvironment().withCacheRoot(tmp.resolve("cache")));
        ConsumerException e = assertThrows(ConsumerException.class, () -> reg.copy("example/no-such-model", tmp.resolve("x"), false));
        assertEquals(ContentException.Kind.NOT_FOUND, e.kind());
        // a refused push carries its kind too: no model name prefix
        PublishException p = assertThrows(PublishException.class, () -> Push.run(Push.Request.builder(
                REPO.resolve("examples/models"), Reference.parse("oci-layout:" + tmp.resolve("other") + ":v1")).build()));
        assertEquals(ModelregException.Kind.INVALID, p.kind());
    }

    @Test
    void theReadmeShowsThisCode() throws Exception {
        String source = Files.readString(Path.of("src/main/java/example/PublishAndConsume.java"));
        String code = source.substring(source.indexOf("// README:begin\n") + 16, source.indexOf("    // README:end"));
        String shown = code.lines().map(l -> l.startsWith("    ") ? l.substring(4) : l).collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        String readme = Files.readString(REPO.resolve("README.md"));
        assertTrue(readme.contains("```java\n" + shown + "```\n"),
                "README.md's Java API section must show examples/java-api's PublishAndConsume.run, as it is:\n" + shown);
    }
}
