package dev.modelreg.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelreg.spec.Reference;
import dev.modelreg.publisher.Push;
import dev.modelreg.spec.Annotations;
import dev.modelreg.spec.Descriptor;
import dev.modelreg.spec.Manifest;
import dev.modelreg.spec.MediaTypes;
import dev.modelreg.spec.ModelsToml;
import dev.modelreg.spec.ModelsTomlCodec;
import dev.modelreg.testkit.RegistryFixture;
import dev.modelreg.testkit.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the publisher pushes (examples/models), consumed model by model from the real registry. */
class ConsumePublishedTest {
    @TempDir Path tmp;

    static Path examples() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("examples/models"))) p = p.getParent();
        assertThat(p).as("repository root with examples/models").isNotNull();
        return p.resolve("examples/models");
    }

    @Test
    void eachModelCopyFetchesExactlyItsOwnLayers() throws Exception {
        Path examples = examples();
        try (RegistryFixture registry = RegistryFixture.start(RegistryFixture.Mode.PLAIN, tmp.resolve("registry"))) {
            String repo = registry.host() + "/examples/models";
            Push.Result pushed = Push.run(Push.Request.builder(examples, Reference.parse(repo + ":main"))
                    .name("example").namefile("mfsim.nam").build());
            Path b = tmp.resolve("bootstrap.toml");
            Files.writeString(b, "[sources.ex]\nname = \"example\"\noci = \"" + repo + "\"\nrefs = [\"main\"]\n");
            ModelReg first = new ModelReg(ModelReg.loadConfig(b, Map.of()), Settings.from(Map.of("MODELREG_CACHE",
                    tmp.resolve("c0").toString())));
            assertThat(first.sync("ex", null, false)).singleElement()
                    .satisfies(r -> assertThat(r.digest()).isEqualTo(pushed.digest()));
            ModelsToml reg = ModelsTomlCodec.read(Files.readAllBytes(tmp.resolve("c0/sources/ex/main/models.toml")), "config");
            Manifest m = Manifest.parse(Files.readAllBytes(first.cacheRoot().resolve("blobs/sha256/" + pushed.digest().hex())), "m");
            assertThat(reg.models()).hasSizeGreaterThanOrEqualTo(4);
            System.err.printf("measured: first sync of %s: %d requests; %d layers%n", repo, first.requestCount(), m.layers().size());

            int i = 0;
            for (String model : reg.models().keySet()) {
                // a fresh cache per model, so every needed blob is fetched
                ModelReg r = new ModelReg(ModelReg.loadConfig(b, Map.of()), Settings.from(Map.of("MODELREG_CACHE",
                        tmp.resolve("c" + (++i)).toString())));
                r.sync("ex", null, false);
                // the registry logs a request when it has sent the answer: wait for the sync's config GET, then count
                String config = "/blobs/" + m.config().digest();
                registry.awaitRequests(l -> l.stream().anyMatch(q -> q.method().equals("GET") && q.path().endsWith(config)),
                        Duration.ofSeconds(5));
                registry.clearRequests();
                Path ws = tmp.resolve("ws" + i);
                var c = r.copy(model, ws, false);
                assertThat(c.files()).hasSize(reg.models().get(model).size());
                assertThat(r.verify(model, ws).ok()).isTrue();

                Set<String> want = new HashSet<>();
                Set<String> keys = Set.copyOf(reg.models().get(model));
                for (Descriptor l : m.layers()) {
                    String g = l.annotation(Annotations.GROUP);
                    boolean tarOfModel = MediaTypes.TAR_LAYER.equals(l.mediaType()) && g != null
                            && (g.equals(model) || g.startsWith(model + "/"));
                    boolean fileOfModel = MediaTypes.FILE_LAYER.equals(l.mediaType()) && keys.contains(l.title());
                    if (tarOfModel || fileOfModel) want.add(l.digest().toString());
                }
                List<Request> gets = registry.awaitRequests(l -> l.stream().filter(q -> q.path().contains("/blobs/")).count()
                        >= want.size(), Duration.ofSeconds(5)).stream()
                        .filter(q -> q.method().equals("GET") && q.path().contains("/blobs/")).toList();
                Set<String> got = gets.stream().map(q -> q.path().substring(q.path().lastIndexOf('/') + 1)).collect(Collectors.toSet());
                assertThat(got).as("blobs fetched for %s", model).isEqualTo(want);
                assertThat(gets).as("each blob once for %s", model).hasSize(want.size());
                System.err.printf("measured: copy %s: %d files, %d bytes, %d of %d layers fetched, %d registry requests%n",
                        model, c.files().size(), c.bytes(), gets.size(), m.layers().size(), registry.requests().size());
            }
        }
    }
}
